package dev.sharedstate.learn.book;

import dev.sharedstate.learn.book.probe.LockProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Reads the JFR repository of a page's JShell VM as the VM writes it ({@link
 * EventStream#openRepository(Path)}; the VM flushes about once a second) and keeps the recent
 * events that concern snippet threads, as {@link Timeline.Raw}. The VM is started with {@link
 * #vmOptions}: a recording of exactly these events, no threshold.
 */
final class JfrFeed implements AutoCloseable {

  private static final int MAX_EVENTS = 50_000;

  private final EventStream stream;
  private final Deque<Timeline.Raw> events = new ArrayDeque<>();
  private volatile Instant latest = Instant.EPOCH;
  /** Signalled after each flush was read; a j.u.c lock, so a virtual thread waiting on it does not pin its carrier. */
  private final java.util.concurrent.locks.ReentrantLock flushLock = new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition flushed = flushLock.newCondition();

  private JfrFeed(EventStream stream) {
    this.stream = stream;
  }

  /**
   * The JShell VM's options: a recording with the settings in {@code settings} (a .jfc file), its
   * repository in {@code repository}, and JFR's start-up line kept off the snippets' output.
   */
  static List<String> vmOptions(Path settings, Path repository) {
    return List.of(
        "-XX:StartFlightRecording:name=book,settings=" + settings,
        "-XX:FlightRecorderOptions:repository=" + repository,
        "-Xlog:jfr+startup=off");
  }

  /** The settings file: the four wait events with stack traces and no threshold, thread start and end. */
  static String settings() {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<configuration version=\"2.0\" label=\"learn book\">\n");
    for (String e : List.of("jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadPark", "jdk.ThreadSleep")) {
      sb.append("  <event name=\"").append(e).append("\"><setting name=\"enabled\">true</setting>"
          + "<setting name=\"stackTrace\">true</setting><setting name=\"threshold\">0 ms</setting></event>\n");
    }
    sb.append("  <event name=\"").append(LockProbe.EVENT).append("\"><setting name=\"enabled\">true</setting>"
        + "</event>\n");
    sb.append("</configuration>\n");
    return sb.toString();
  }

  /** The newest VM folder in {@code repository} that is not {@code notThis}, if any yet. */
  static Optional<Path> newestVmFolder(Path repository, Path notThis) {
    try (Stream<Path> dirs = Files.list(repository)) {
      return dirs.filter(Files::isDirectory)
          .filter(d -> !d.equals(notThis))
          .max(Comparator.comparing(d -> d.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Starts reading a VM's repository folder in the background. */
  static JfrFeed open(Path vmFolder) throws IOException {
    EventStream s = EventStream.openRepository(vmFolder);
    JfrFeed feed = new JfrFeed(s);
    s.setStartTime(Instant.EPOCH);
    s.setReuse(false);
    s.onEvent("jdk.JavaMonitorEnter", e -> feed.onWait(e, "monitor-enter"));
    s.onEvent("jdk.JavaMonitorWait", e -> feed.onWait(e, "monitor-wait"));
    s.onEvent("jdk.ThreadPark", e -> feed.onWait(e, "park"));
    s.onEvent("jdk.ThreadSleep", e -> feed.onWait(e, "sleep"));
    s.onEvent(LockProbe.EVENT, feed::state);
    s.onEvent(LockProbe.TICK, e -> feed.seen(e.getStartTime()));
    s.onFlush(() -> {
      feed.flushLock.lock();
      try {
        feed.flushed.signalAll();
      } finally {
        feed.flushLock.unlock();
      }
    });
    s.startAsync();
    return feed;
  }

  private void onWait(RecordedEvent e, String kind) {
    RecordedThread t = e.getThread("eventThread");
    String name = t == null ? "" : t.getJavaName();
    if (name == null || name.equals(LockProbe.THREAD)) {
      return;
    }
    String where = where(e.getStackTrace());
    if (where.isEmpty()) {
      return; // not snippet code: JShell's own machinery
    }
    String on = "";
    String prev = "";
    boolean timedOut = false;
    switch (kind) {
      case "monitor-enter", "monitor-wait" -> {
        RecordedClass c = e.getClass("monitorClass");
        on = c == null ? "" : c.getName();
        if (kind.equals("monitor-enter") && e.hasField("previousOwner")) {
          RecordedThread p = e.getThread("previousOwner");
          prev = p == null || p.getJavaName() == null ? "" : p.getJavaName();
        }
        if (kind.equals("monitor-wait") && e.hasField("timedOut")) {
          timedOut = e.getBoolean("timedOut");
        }
      }
      case "park" -> {
        RecordedClass c = e.getClass("parkedClass");
        on = c == null ? "" : c.getName();
        long timeoutNs = e.hasField("timeout") ? e.getLong("timeout") : -1;
        timedOut = timeoutNs > 0 && e.getDuration().toNanos() >= timeoutNs - 1_000_000;
      }
      default -> {}
    }
    add(new Timeline.Wait(e.getStartTime(), e.getDuration(), kind, name, on, prev, where, timedOut));
  }

  private void state(RecordedEvent e) {
    add(new Timeline.State(e.getStartTime(), e.getLong("threadId"), e.getString("threadName"), e.getString("state"),
        nz(e.getString("lock")), nz(e.getString("owner")), nz(e.getString("held")), nz(e.getString("where"))));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private void seen(Instant t) {
    if (t.isAfter(latest)) {
      latest = t;
    }
  }

  private synchronized void add(Timeline.Raw r) {
    seen(r.time());
    events.addLast(r);
    while (events.size() > MAX_EVENTS) {
      events.removeFirst();
    }
  }

  /** The kept events that may concern {@code [from, to]}. */
  synchronized List<Timeline.Raw> around(Instant from, Instant to) {
    Instant a = from.minusSeconds(60);
    Instant b = to.plusSeconds(1);
    List<Timeline.Raw> out = new ArrayList<>();
    for (Timeline.Raw r : events) {
      if (!r.time().isBefore(a) && !r.time().isAfter(b)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Waits until events recorded after {@code t} have been read (the probe's tick comes every 100 ms,
   * the VM flushes about once a second), so every event up to {@code t} is in; or {@code max}.
   */
  boolean awaitFlushAfter(Instant t, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    flushLock.lock();
    try {
      while (!latest.isAfter(t.plusMillis(150))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        flushed.awaitNanos(left);
      }
    } finally {
      flushLock.unlock();
    }
    return true;
  }

  /** The innermost frame in snippet code, e.g. {@code SlowCounter.tryRead}, or "". */
  static String where(RecordedStackTrace st) {
    if (st == null) {
      return "";
    }
    for (RecordedFrame f : st.getFrames()) {
      if (f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String cls = f.getMethod().getType().getName();
      if (cls.startsWith("REPL.")) {
        return LockProbe.frameName(cls, f.getMethod().getName());
      }
    }
    return "";
  }


  @Override
  public void close() {
    stream.close();
  }
}
