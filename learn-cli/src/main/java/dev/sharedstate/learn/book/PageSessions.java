package dev.sharedstate.learn.book;

import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.run.RunOptions;
import dev.sharedstate.learn.book.probe.LockProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The open chapter pages and their JShells. A page gets an id when it is served and a JShell on its
 * first Run; at most {@code maxEngines} JShells run at once (each is a JVM: the least recently used
 * page loses its JShell, and is told so, when another page needs one); a page whose event stream
 * has been gone for {@code grace} (the tab was closed) is closed with its JShell.
 */
final class PageSessions implements AutoCloseable {

  private record Entry(PageSession session, AtomicInteger connections, long[] lastSeen) {}

  private static final int MAX_PAGES = 200;

  private final Map<String, Entry> pages = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final RunOptions base;
  private final Path work;
  private final Path probe;
  private final Path settings;
  private final Timelines timelines;
  private final int maxEngines;
  private final Duration grace;
  private final boolean warmUp;
  private volatile BiConsumer<String, String> notice = (page, text) -> {};
  private final Thread reaper;

  PageSessions(RunOptions base, Path work, Timelines timelines, int maxEngines, Duration grace) {
    this(base, work, timelines, maxEngines, grace, true);
  }

  /** @param warmUp start a page's JShell when a browser opens the page, not on its first Run */
  PageSessions(RunOptions base, Path work, Timelines timelines, int maxEngines, Duration grace, boolean warmUp) {
    this.warmUp = warmUp;
    this.base = base;
    this.work = work;
    this.timelines = timelines;
    this.maxEngines = maxEngines;
    this.grace = grace;
    try {
      this.probe = writeProbeAgent(work.resolve("probe/book-probe.jar"));
      this.settings = Files.writeString(work.resolve("book.jfc"), JfrFeed.settings());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + work, e);
    }
    this.reaper = Thread.ofVirtual().name("book-page-reaper").start(this::reap);
  }

  void onNotice(BiConsumer<String, String> notice) {
    this.notice = notice;
  }

  /** A new page of {@code chapter}; its id goes into the page. */
  String open(Chapter chapter) {
    byte[] b = new byte[12];
    random.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    Path repo = work.resolve("jfr-" + id);
    RunOptions options = new RunOptions(base.defaultTimeout(), base.classPath(),
        concat(base.remoteVmOptions(), concat(List.of("-Xmx512m", "-javaagent:" + probe),
            JfrFeed.vmOptions(settings, repo))),
        base.compilerOptions(), 1, false);
    PageSession s = new PageSession(id, chapter, options, repo, List.of(), timelines);
    pages.put(id, new Entry(s, new AtomicInteger(), new long[] {System.nanoTime()}));
    trim();
    return id;
  }

  Optional<PageSession> get(String id) {
    Entry e = id == null ? null : pages.get(id);
    if (e == null) {
      return Optional.empty();
    }
    e.lastSeen()[0] = System.nanoTime();
    return Optional.of(e.session());
  }

  /** Before a page's run: make room for its JShell, closing the least recently used other one. */
  void makeRoomFor(PageSession s) {
    if (s.started()) {
      return;
    }
    List<PageSession> running = new ArrayList<>();
    for (Entry e : pages.values()) {
      if (e.session() != s && e.session().started()) {
        running.add(e.session());
      }
    }
    running.sort(Comparator.comparingLong(p -> p.lastUsed.get()));
    while (running.size() >= maxEngines) {
      PageSession victim = running.removeFirst();
      victim.reset();
      notice.accept(victim.id(), "This page's JShell was closed to make room for another page's"
          + " (at most " + maxEngines + " run at once). Run again to start a fresh one.");
    }
  }

  /**
   * A page's event stream opened ({@code +1}) or closed ({@code -1}). The first opening means a browser
   * shows the page: its JShell starts then, so the reader's first Run does not wait for a JVM.
   */
  void connected(String id, int delta) {
    Entry e = pages.get(id);
    if (e != null) {
      int now = e.connections().addAndGet(delta);
      e.lastSeen()[0] = System.nanoTime();
      if (delta > 0 && now == 1 && warmUp && !e.session().started()) {
        makeRoomFor(e.session());
        e.session().warmUp();
      }
    }
  }

  int size() {
    return pages.size();
  }

  private void reap() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Math.min(5_000, Math.max(50, grace.toMillis() / 2)));
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (var it = pages.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next().getValue();
        if (e.connections().get() <= 0 && now - e.lastSeen()[0] > grace.toNanos()) {
          it.remove();
          e.session().close();
        }
      }
    }
  }

  private void trim() {
    while (pages.size() > MAX_PAGES) {
      pages.entrySet().stream()
          .filter(e -> e.getValue().connections().get() <= 0)
          .min(Comparator.comparingLong(e -> e.getValue().lastSeen()[0]))
          .ifPresentOrElse(e -> {
            pages.remove(e.getKey());
            e.getValue().session().close();
          }, () -> {
            throw new IllegalStateException("more than " + MAX_PAGES + " pages are open at once");
          });
    }
  }

  /**
   * Writes the probe's classes into a Java agent jar ({@code Premain-Class}: the probe), for the JShell
   * VMs: the probe then starts with the VM, on the thread that will run the snippets.
   */
  static Path writeProbeAgent(Path jar) throws IOException {
    var manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new java.util.jar.Attributes.Name("Premain-Class"), LockProbe.class.getName());
    Files.createDirectories(jar.getParent());
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (Class<?> c : LockProbe.class.getNestMembers()) {
        String name = c.getName().substring(c.getPackageName().length() + 1) + ".class";
        try (InputStream in = LockProbe.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("the probe class " + name + " is missing from this build");
          }
          out.putNextEntry(new java.util.jar.JarEntry(c.getName().replace('.', '/') + ".class"));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Override
  public void close() {
    reaper.interrupt();
    for (Entry e : pages.values()) {
      e.session().close();
    }
    pages.clear();
  }
}
