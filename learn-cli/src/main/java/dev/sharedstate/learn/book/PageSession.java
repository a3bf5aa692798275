package dev.sharedstate.learn.book;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.CodeLine;
import dev.sharedstate.chapters.markdown.Mode;
import dev.sharedstate.chapters.run.BlockResult;
import dev.sharedstate.chapters.run.ChapterSession;
import dev.sharedstate.chapters.run.LockcheckGate;
import dev.sharedstate.chapters.run.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One open chapter page: its own JShell ({@link ChapterSession}, started when a browser opens the page or by its first Run), the
 * chapter as it was when the page was served, and which blocks have run. Two pages, even of the same
 * chapter, never share state. Runs of one page go one at a time, in the order they were asked for.
 *
 * <p>A run of block N first runs, in order, the earlier blocks of the chapter that have not run in
 * this page yet (their output goes to their own cells), then block N with the text from the editor,
 * each exactly as {@code mvn test} runs it. Events go to the caller as they happen: {@code start},
 * {@code out} (what the snippet prints, as it prints it), {@code end} (the runner's verdict, the
 * expected output and the lines that differ), and {@code timeline} when the run's threads waited.
 */
final class PageSession implements AutoCloseable {

  /** What a run tells the page, one JSON object each. */
  interface Sink extends Consumer<Map<String, Object>> {}

  /** How much of what a run prints goes to the page; the rest is counted, not shown. */
  static final int MAX_STREAMED = 256 * 1024;

  /** {@code LEARN_BOOK_DEBUG=1}: each timeline's recorded events on stderr. */
  private static final boolean DEBUG = System.getenv("LEARN_BOOK_DEBUG") != null;

  private final String id;
  private final Chapter chapter;
  private final ChapterSession session;
  private final ExecutorService runs = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("page-run").factory());
  private final Set<Integer> attempted = new HashSet<>();
  private final Path jfrRepository;
  private final Timelines timelines;
  private volatile Sink sink = e -> {};
  private volatile int current = -1;
  private volatile long streamed;
  private volatile JfrFeed feed;
  private volatile Instant runStarted;
  private Path feedFolder;
  final AtomicLong lastUsed = new AtomicLong(System.nanoTime());

  PageSession(String id, Chapter chapter, RunOptions options, Path jfrRepository, List<String> setup,
      Timelines timelines) {
    this.id = id;
    this.chapter = chapter;
    this.jfrRepository = jfrRepository;
    this.timelines = timelines;
    this.session = new ChapterSession(options, new LockcheckGate(), setup, new ChapterSession.Listener() {
      @Override
      public void stdout(String text) {
        forward("stdout", text);
      }

      @Override
      public void stderr(String text) {
        forward("stderr", text);
      }

      @Override
      public void replayed() {
        runStarted = Instant.now(); // the timeline shows the block's own run, not the replay
      }

      @Override
      public void engineStarted(int replaying) {
        openFeed();
        if (replaying > 0) {
          emit(Map.of("type", "system", "block", current,
              "text", "a fresh JShell for this page: running again the " + replaying
                  + " block(s) that passed before, silently"));
        }
      }
    });
  }

  String id() {
    return id;
  }

  Chapter chapter() {
    return chapter;
  }

  /**
   * Queues a run of block {@code index} with {@code code} as its text; {@code sink} hears its events
   * until the returned future completes.
   */
  java.util.concurrent.CompletableFuture<Void> run(int index, String code, Sink sink) {
    lastUsed.set(System.nanoTime());
    var done = new java.util.concurrent.CompletableFuture<Void>();
    runs.submit(() -> {
      this.sink = sink;
      List<Runnable> after = new ArrayList<>();
      try {
        runNow(index, code, after);
      } catch (RuntimeException e) {
        emit(Map.of("type", "end", "block", index, "status", "error", "summary", "the book failed to run it: " + e));
      } finally {
        this.sink = ev -> {};
      }
      // Timelines wait for the VM's next JFR flush (up to a second): off the page's run queue, so the
      // next Run does not wait for them; the caller's stream stays open until they are sent.
      Thread.ofVirtual().name("page-timeline").start(() -> {
        try {
          after.forEach(Runnable::run);
        } finally {
          done.complete(null);
        }
      });
    });
    return done;
  }

  private void runNow(int index, String code, List<Runnable> after) {
    List<Block> blocks = chapter.blocks();
    for (int j = 0; j < index; j++) {
      Block before = blocks.get(j);
      if (attempted.contains(j) || before.mode() instanceof Mode.Skip) {
        continue;
      }
      runOne(j, before, true, after);
    }
    runOne(index, withText(blocks.get(index), code), false, after);
  }

  private void runOne(int index, Block block, boolean implicit, List<Runnable> after) {
    current = index;
    streamed = 0;
    emit(Map.of("type", "start", "block", index, "implicit", implicit));
    Instant started = Instant.now();
    runStarted = started;
    BlockResult result = session.run(block);
    Instant ended = Instant.now();
    attempted.add(index);
    emit(end(index, block, result, Duration.between(started, ended)));
    Instant from = runStarted;
    Sink to = sink;
    JfrFeed f = feed;
    after.add(() -> timeline(index, from, ended, f, to));
  }

  /** The {@code end} event: the runner's verdict, the output, the expected output and what differs. */
  private Map<String, Object> end(int index, Block block, BlockResult result, Duration took) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "end");
    e.put("block", index);
    e.put("ms", took.toMillis());
    String stdout = "";
    switch (result) {
      case BlockResult.Passed p -> {
        e.put("status", "passed");
        stdout = p.stdout();
      }
      case BlockResult.Skipped s -> {
        e.put("status", "skipped");
        e.put("summary", "not run: " + s.reason());
      }
      case BlockResult.Failed f -> {
        e.put("status", "failed");
        e.put("summary", f.summary());
        e.put("details", clip(f.details()));
        e.put("line", f.line() - block.firstCodeLine() + 1);
        e.put("timedOut", f.summary().startsWith("timed out"));
        stdout = f.stdout();
      }
    }
    e.put("mode", block.mode().keyword());
    e.put("stdout", clip(stdout));
    block.expectedOutput().ifPresent(want -> {
      e.put("expected", want.text());
      if (block.mode() instanceof Mode.Run && !(result instanceof BlockResult.Skipped)) {
        e.put("diff", OutputDiff.diff(want.text(), clip(result instanceof BlockResult.Failed f ? f.stdout()
            : ((BlockResult.Passed) result).stdout())));
        e.put("matches", want.matches(result instanceof BlockResult.Failed f ? f.stdout()
            : ((BlockResult.Passed) result).stdout()));
      }
    });
    return e;
  }

  private static String clip(String s) {
    return s.length() <= MAX_STREAMED ? s : s.substring(0, MAX_STREAMED) + "\n… (" + (s.length() - MAX_STREAMED)
        + " more characters not shown)";
  }

  /** After a run whose threads waited: the timeline, once the VM has flushed its JFR events. */
  private void timeline(int index, Instant started, Instant ended, JfrFeed f, Sink to) {
    if (f == null || Duration.between(started, ended).toMillis() < Timeline.INTERESTING_MS) {
      return;
    }
    try {
      f.awaitFlushAfter(ended, Duration.ofMillis(3000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Timeline t = Timeline.build(started, ended, f.around(started, ended));
    if (DEBUG) {
      System.err.println("book: timeline of block " + index + " from " + started + " to " + ended + ": "
          + f.around(started, ended) + "\n  -> " + t);
    }

    if (!t.interesting()) {
      return;
    }
    String svgId = timelines.put(TimelineSvg.render(t));
    try {
      to.accept(Map.of("type", "timeline", "block", index, "svg", "api/timeline/" + svgId + ".svg",
          "sentences", t.sentences()));
    } catch (RuntimeException pageGone) {
      // nobody to show it to
    }
  }

  private void openFeed() {
    JfrFeed old = feed;
    if (old != null) {
      old.close();
      feed = null;
    }
    if (jfrRepository == null) {
      return;
    }
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < deadline) {
      var folder = JfrFeed.newestVmFolder(jfrRepository, feedFolder);
      if (folder.isPresent()) {
        try {
          feed = JfrFeed.open(folder.get());
          feedFolder = folder.get();
        } catch (IOException e) {
          // no timelines for this JShell; runs go on
        }
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts this page's JShell in the background (the page is open in a browser), ahead of its first Run. */
  void warmUp() {
    runs.submit(() -> {
      if (!session.started()) {
        session.warmUp();
      }
    });
  }

  /** Forgets what ran and closes the JShell: the next Run starts from the chapter's first block. */
  java.util.concurrent.Future<?> reset() {
    return runs.submit(() -> {
      attempted.clear();
      session.reset();
    });
  }

  private void forward(String stream, String text) {
    long before = streamed;
    streamed += text.length();
    if (before >= MAX_STREAMED) {
      return;
    }
    String shown = before + text.length() > MAX_STREAMED ? text.substring(0, (int) (MAX_STREAMED - before)) : text;
    emit(Map.of("type", "out", "block", current, "stream", stream, "text", shown));
  }

  private void emit(Map<String, Object> event) {
    try {
      sink.accept(event);
    } catch (RuntimeException ignored) {
      // the page went away; the run finishes anyway
    }
  }

  /** The block with the editor's text in place of its code (same line, fence and expectations). */
  static Block withText(Block original, String code) {
    if (code == null || code.equals(original.fullText())) {
      return original;
    }
    List<CodeLine> lines = new ArrayList<>();
    String body = code.endsWith("\n") ? code.substring(0, code.length() - 1) : code;
    String[] raw = body.isEmpty() ? new String[0] : body.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      lines.add(new CodeLine(original.firstCodeLine() + i, raw[i].replace("\r", ""), false));
    }
    return new Block(original.file(), original.line(), original.info(), original.mode(), original.timeout(), lines,
        original.expectedOutput());
  }

  boolean started() {
    return session.started();
  }

  @Override
  public void close() {
    session.close();
    runs.shutdownNow();
    JfrFeed f = feed;
    if (f != null) {
      f.close();
    }
    if (jfrRepository != null) {
      deleteQuietly(jfrRepository);
    }
  }

  static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary folder is harmless
    }
  }
}
