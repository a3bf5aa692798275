package dev.sharedstate.learn.book.probe;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Runs inside the JShell VM of a book page (it is on that VM's class path and nothing else of the
 * book is): while a snippet runs, it samples every thread that is in snippet code every 10 ms with
 * {@link ThreadMXBean#dumpAllThreads(boolean, boolean)} and records each change of a thread's
 * state as a JFR event, {@code dev.sharedstate.book.LockState}: what it waits for, who owns that,
 * and which locks it holds. JFR's own events (monitor enter, park, sleep, wait) time the waits
 * exactly but do not say who held a lock; these say it, at the sampling period's resolution.
 *
 * <p>The book's server reads both from the VM's JFR repository and draws the thread timeline.
 * Between snippets the probe looks at the snippet thread's stack every period (a handshake with one
 * thread, tens of microseconds) and at all threads' every 100 ms (threads a snippet started may go on
 * running its code), so an idle page costs next to nothing.
 */
public final class LockProbe {

  /** The JFR event name the server reads. */
  public static final String EVENT = "dev.sharedstate.book.LockState";

  /** The JFR event the probe commits every 100 ms: the server knows it has read up to a time once it has seen one after it. */
  public static final String TICK = "dev.sharedstate.book.Tick";

  /** Name of the probe's own thread (the server leaves it out of timelines). */
  public static final String THREAD = "book-lock-probe";

  private static final long PERIOD_MS = 10;
  private static final long TAIL_NANOS = 300_000_000L;
  private static final long IDLE_LOOK_NANOS = 100_000_000L;
  private static Thread probe;

  private LockProbe() {}

  /** One change of a snippet thread's state. */
  @Name(EVENT)
  @Label("Lock state")
  @Category("Book")
  @StackTrace(false)
  static final class LockState extends Event {
    @Label("Thread id") long threadId;
    @Label("Thread") String threadName;
    /** A {@link Thread.State} name, or {@code LEFT} when the thread left snippet code or ended. */
    @Label("State") String state;
    @Label("Waiting for") String lock;
    @Label("Owner") String owner;
    @Label("Owner id") long ownerId;
    /** The locks it holds, comma-separated, each as {@code Class@hash}. */
    @Label("Holds") String held;
    @Label("Where") String where;
  }

  /** A mark in time; see {@link #TICK}. */
  @Name(TICK)
  @Label("Tick")
  @Category("Book")
  @StackTrace(false)
  static final class Tick extends Event {}

  /**
   * The Java agent's entry point ({@code -javaagent:probe.jar}, see {@code Premain-Class} in the jar
   * the book writes): it runs on the VM's main thread before JShell's remote agent starts there, and
   * that thread is the one that runs every snippet. Starting here costs the page's first Run nothing.
   */
  public static void premain(String args) {
    start();
  }

  /** Starts the probe for the calling thread (JShell's snippet thread) once; returns "started". */
  public static synchronized String start() {
    if (probe != null && probe.isAlive()) {
      return "running";
    }
    Thread snippets = Thread.currentThread();
    probe = new Thread(() -> loop(snippets), THREAD);
    probe.setDaemon(true);
    probe.start();
    return "started";
  }

  private static void loop(Thread snippets) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, String> last = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    long activeUntil = 0;
    long nextLook = 0;
    long nextTick = 0;
    while (true) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      if (now >= nextTick) {
        new Tick().commit();
        nextTick = now + IDLE_LOOK_NANOS;
      }
      if (inSnippet(snippets.getStackTrace())) {
        activeUntil = now + TAIL_NANOS;
      } else if (now > activeUntil) {
        // No snippet is being evaluated; threads a snippet started may still run snippet code. Look
        // at every thread now and then (not every period: that costs more than one thread's stack).
        if (now < nextLook) {
          continue;
        }
        nextLook = now + IDLE_LOOK_NANOS;
        if (!anyInSnippet()) {
          if (!last.isEmpty()) {
            for (long id : last.keySet()) {
              left(id, names.get(id));
            }
            last.clear();
          }
          continue;
        }
        activeUntil = now + TAIL_NANOS;
      }
      Set<Long> seen = new HashSet<>();
      for (ThreadInfo ti : mx.dumpAllThreads(true, true)) {
        if (ti == null || ti.getThreadName().equals(THREAD) || !inSnippet(ti.getStackTrace())) {
          continue;
        }
        long id = ti.getThreadId();
        seen.add(id);
        String held = held(ti);
        String lock = ti.getLockInfo() == null ? "" : identity(ti.getLockInfo());
        String owner = ti.getLockOwnerName() == null ? "" : ti.getLockOwnerName();
        String where = where(ti.getStackTrace());
        String key = ti.getThreadState() + "|" + lock + "|" + owner + "|" + held + "|" + where;
        if (!key.equals(last.get(id))) {
          last.put(id, key);
          names.put(id, ti.getThreadName());
          LockState e = new LockState();
          e.threadId = id;
          e.threadName = ti.getThreadName();
          e.state = ti.getThreadState().name();
          e.lock = lock;
          e.owner = owner;
          e.ownerId = ti.getLockOwnerId();
          e.held = held;
          e.where = where;
          e.commit();
        }
      }
      if (!seen.isEmpty()) {
        activeUntil = Math.max(activeUntil, now + TAIL_NANOS); // a thread a snippet started still runs its code
      }
      for (var it = last.keySet().iterator(); it.hasNext(); ) {
        long id = it.next();
        if (!seen.contains(id)) {
          left(id, names.get(id));
          it.remove();
        }
      }
    }
  }

  private static boolean anyInSnippet() {
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      if (inSnippet(stack)) {
        return true;
      }
    }
    return false;
  }

  private static void left(long id, String name) {
    LockState e = new LockState();
    e.threadId = id;
    e.threadName = name == null ? "" : name;
    e.state = "LEFT";
    e.lock = "";
    e.owner = "";
    e.held = "";
    e.where = "";
    e.commit();
  }

  private static String held(ThreadInfo ti) {
    StringJoiner j = new StringJoiner(",");
    for (MonitorInfo m : ti.getLockedMonitors()) {
      j.add(identity(m));
    }
    for (LockInfo l : ti.getLockedSynchronizers()) {
      j.add(identity(l));
    }
    return j.toString();
  }

  private static String identity(LockInfo l) {
    return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
  }

  /** Whether a stack is running code JShell compiled from a snippet (package {@code REPL}). */
  static boolean inSnippet(StackTraceElement[] stack) {
    for (StackTraceElement f : stack) {
      if (f.getClassName().startsWith("REPL.")) {
        return true;
      }
    }
    return false;
  }

  /** The innermost snippet frame, e.g. {@code SlowCounter.tryRead}. */
  static String where(StackTraceElement[] stack) {
    for (StackTraceElement f : stack) {
      if (f.getClassName().startsWith("REPL.")) {
        return frameName(f.getClassName(), f.getMethodName());
      }
    }
    return "";
  }

  /**
   * A snippet frame in words: {@code SlowCounter.tryRead}, {@code a lambda in LoadingCache.load}, or
   * {@code the snippet} for JShell's wrapper of top-level statements ({@code REPL.$JShell$12.do_it$}).
   */
  public static String frameName(String className, String method) {
    String s = className.substring("REPL.".length());
    int dollar = s.lastIndexOf('$');
    String tail = dollar >= 0 ? s.substring(dollar + 1) : s;
    boolean wrapper = tail.isEmpty() || Character.isDigit(tail.charAt(0));
    if (method.startsWith("lambda$")) {
      String in = method.substring("lambda$".length()).replaceFirst("\\$.*$", "");
      return "a lambda in " + (wrapper || in.isEmpty() || in.equals("do_it") ? "the snippet" : tail + "." + in);
    }
    return wrapper ? "the snippet" : tail + "." + method;
  }
}
