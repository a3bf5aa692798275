package dev.sharedstate.learn.book;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the threads of one run did, as bars on a lane per thread: which thread held which lock, who
 * waited for what (and for whom), for how long. Built from what the JShell VM recorded, never by
 * hand: JFR's {@code jdk.JavaMonitorEnter}, {@code jdk.ThreadPark}, {@code jdk.ThreadSleep} and
 * {@code jdk.JavaMonitorWait} events time each wait exactly; the {@code LockProbe}'s samples say who
 * held what, and give the waits that never ended (a deadlock stopped at its time limit).
 */
record Timeline(Instant start, Instant end, List<String> lanes, List<Bar> bars) {

  /** What a bar shows. */
  enum Kind {
    HOLD,
    WAIT_LOCK,
    WAIT_OTHER,
    SLEEP
  }

  /**
   * One bar: on lane {@code lane}, from {@code startMs} to {@code endMs} after the run's start.
   *
   * @param owner the lane of the thread that held what this one waited for, or -1
   * @param open the wait had not ended when the run did (it was stopped)
   * @param timedOut the wait gave up at its time limit
   */
  record Bar(int lane, Kind kind, long startMs, long endMs, String what, String where, int owner, boolean open,
      boolean timedOut) {
    long millis() {
      return endMs - startMs;
    }
  }

  /** A thing the VM recorded: an exact wait (JFR) or a sampled state change (LockProbe). */
  sealed interface Raw {
    Instant time();
  }

  /**
   * A JFR wait event.
   *
   * @param kind {@code monitor-enter}, {@code park}, {@code sleep} or {@code monitor-wait}
   * @param on the monitor's or park blocker's class name, "" if none
   * @param previousOwner for monitor enter: the thread that held the monitor
   */
  record Wait(Instant time, Duration duration, String kind, String thread, String on, String previousOwner,
      String where, boolean timedOut) implements Raw {}

  /** A sampled change of one thread's state ({@code LEFT}: it left snippet code or ended). */
  record State(Instant time, long threadId, String thread, String state, String lock, String owner,
      String held, String where) implements Raw {}

  /** The shortest wait worth a bar, and the shortest that makes a run worth a timeline. */
  static final long MIN_BAR_MS = 2;
  static final long INTERESTING_MS = 20;

  /** Whether a thread waited for a lock, or for another thread's work, long enough to look at (sleeps alone are not). */
  boolean interesting() {
    return bars.stream().anyMatch(b -> (b.kind() == Kind.WAIT_LOCK || b.kind() == Kind.WAIT_OTHER)
        && b.millis() >= INTERESTING_MS);
  }

  long millis() {
    return Math.max(1, Duration.between(start, end).toMillis());
  }

  /** One sentence per wait, longest first: what the picture shows, as text. */
  List<String> sentences() {
    List<String> out = new ArrayList<>();
    bars.stream()
        .filter(b -> b.kind() != Kind.HOLD && b.millis() >= MIN_BAR_MS)
        .sorted(Comparator.comparingLong(Bar::millis).reversed())
        .limit(12)
        .forEach(b -> {
          StringBuilder sb = new StringBuilder(lanes.get(b.lane()));
          sb.append(b.kind() == Kind.SLEEP ? " slept " : b.open() ? " was still waiting after " : " waited ");
          sb.append(b.millis()).append(" ms");
          if (b.kind() != Kind.SLEEP) {
            sb.append(" for ").append(b.what());
          }
          if (b.owner() >= 0) {
            sb.append(", held by ").append(lanes.get(b.owner()));
          }
          if (!b.where().isEmpty()) {
            sb.append(", in ").append(b.where());
          }
          if (b.timedOut()) {
            sb.append(" (it gave up at its time limit)");
          }
          if (b.open()) {
            sb.append(" (stopped with the run)");
          }
          out.add(sb.toString());
        });
    bars.stream()
        .filter(b -> b.kind() == Kind.HOLD && b.millis() >= INTERESTING_MS)
        .sorted(Comparator.comparingLong(Bar::millis).reversed())
        .limit(6)
        .forEach(b -> out.add(lanes.get(b.lane()) + " held " + b.what() + " for " + b.millis() + " ms"
            + (b.where().isEmpty() ? "" : ", in " + b.where())));
    return out;
  }

  /** Builds the timeline of {@code [start, end]} from the recorded events (any order, any window). */
  static Timeline build(Instant start, Instant end, List<? extends Raw> raw) {
    // Waits that overlap the window; state changes inside it, and each thread's state as the window
    // opened (its last change before, moved to the start), unless it had left snippet code by then.
    List<Raw> in = new ArrayList<>();
    Map<Long, State> before = new LinkedHashMap<>();
    for (Raw r : raw) {
      if (r instanceof Wait w) {
        if (!w.time().isAfter(end) && !w.time().plus(w.duration()).isBefore(start)) {
          in.add(w);
        }
      } else if (r instanceof State s) {
        if (s.time().isBefore(start)) {
          State b = before.get(s.threadId());
          if (b == null || !s.time().isBefore(b.time())) {
            before.put(s.threadId(), s);
          }
        } else if (!s.time().isAfter(end)) {
          in.add(s);
        } else if (!s.time().isAfter(end.plusMillis(100))) {
          // a change just after the run ended (a thread that finished as the run did): it ends the
          // state before it, so that state is not drawn as still going
          in.add(new State(end, s.threadId(), s.thread(), "LEFT", "", "", "", ""));
        }
      }
    }
    for (State s : before.values()) {
      if (!s.state().equals("LEFT")) {
        in.add(new State(start, s.threadId(), s.thread(), s.state(), s.lock(), s.owner(), s.held(), s.where()));
      }
    }
    in.sort(Comparator.comparing(Raw::time));
    Map<String, Integer> laneOf = new LinkedHashMap<>();
    Set<String> threads = new LinkedHashSet<>();
    for (Raw r : in) {
      threads.add(r instanceof Wait w ? w.thread() : ((State) r).thread());
    }
    // main first: the snippet's own thread is where the story starts
    if (threads.remove("main")) {
      laneOf.put("main", 0);
    }
    for (String t : threads) {
      if (!t.isEmpty()) {
        laneOf.putIfAbsent(t, laneOf.size());
      }
    }
    List<Bar> bars = new ArrayList<>();
    List<SampledWait> sampled = new ArrayList<>();
    // Sampled states become intervals, per thread.
    Map<String, List<State>> byThread = new LinkedHashMap<>();
    for (Raw r : in) {
      if (r instanceof State s && laneOf.containsKey(s.thread())) {
        byThread.computeIfAbsent(s.thread(), k -> new ArrayList<>()).add(s);
      }
    }
    for (var e : byThread.entrySet()) {
      int lane = laneOf.get(e.getKey());
      List<State> states = e.getValue();
      Map<String, Long> holdingSince = new LinkedHashMap<>();
      Map<String, String> holdWhere = new LinkedHashMap<>();
      for (int i = 0; i < states.size(); i++) {
        State s = states.get(i);
        long from = ms(start, s.time());
        boolean last = i == states.size() - 1;
        long to = last ? ms(start, end) : ms(start, states.get(i + 1).time());
        Set<String> held = new LinkedHashSet<>();
        for (String h : s.held().split(",")) {
          if (!h.isBlank()) {
            held.add(h);
          }
        }
        for (var it = holdingSince.entrySet().iterator(); it.hasNext(); ) {
          var h = it.next();
          if (!held.contains(h.getKey())) {
            bars.add(new Bar(lane, Kind.HOLD, h.getValue(), from, lockName(h.getKey()), holdWhere.get(h.getKey()), -1,
                false, false));
            it.remove();
          }
        }
        for (String h : held) {
          if (!holdingSince.containsKey(h)) {
            holdingSince.put(h, from);
            holdWhere.put(h, s.where());
          }
        }
        boolean waiting = s.state().equals("BLOCKED") || s.state().equals("WAITING")
            || s.state().equals("TIMED_WAITING");
        if (waiting && to > from) {
          int owner = s.owner().isEmpty() ? -1 : laneOf.getOrDefault(s.owner(), -1);
          sampled.add(new SampledWait(lane, from, to, s.lock(), owner, s.where(), last && !s.state().equals("LEFT")));
        }
      }
      long endMs = ms(start, end);
      for (var h : holdingSince.entrySet()) {
        bars.add(new Bar(lane, Kind.HOLD, h.getValue(), endMs, lockName(h.getKey()), holdWhere.get(h.getKey()), -1,
            false, false));
      }
    }
    // Exact waits from JFR, told who they waited for by the samples.
    List<SampledWait> matched = new ArrayList<>();
    for (Raw r : in) {
      if (!(r instanceof Wait w) || !laneOf.containsKey(w.thread())) {
        continue;
      }
      int lane = laneOf.get(w.thread());
      long from = Math.max(0, ms(start, w.time()));
      long to = Math.min(ms(start, end), ms(start, w.time().plus(w.duration())));
      if (to - from < MIN_BAR_MS) {
        continue;
      }
      SampledWait best = null;
      long bestOverlap = 0;
      for (SampledWait sw : sampled) {
        long overlap = Math.min(to, sw.to) - Math.max(from, sw.from);
        if (sw.lane == lane && overlap > bestOverlap) {
          best = sw;
          bestOverlap = overlap;
        }
      }
      if (best != null) {
        matched.add(best);
      }
      String lock = best != null && !best.lock.isEmpty() ? best.lock : w.on();
      int owner = best != null ? best.owner : -1;
      if (owner < 0 && !w.previousOwner().isEmpty()) {
        owner = laneOf.getOrDefault(w.previousOwner(), -1);
      }
      Kind kind = switch (w.kind()) {
        case "sleep" -> Kind.SLEEP;
        case "monitor-enter" -> Kind.WAIT_LOCK;
        default -> isLock(lock) ? Kind.WAIT_LOCK : Kind.WAIT_OTHER;
      };
      String what = kind == Kind.SLEEP ? "" : w.kind().equals("monitor-wait")
          ? "a notify on " + lockName(lock) + " (Object.wait)" : describe(lock);
      String where = !w.where().isEmpty() ? w.where() : best != null ? best.where : "";
      bars.add(new Bar(lane, kind, from, to, what, where, owner == lane ? -1 : owner, false, w.timedOut()));
    }
    // Waits only the samples saw: those still going when the run ended, mostly.
    for (SampledWait sw : sampled) {
      if (matched.contains(sw) || sw.to - sw.from < MIN_BAR_MS) {
        continue;
      }
      boolean covered = bars.stream().anyMatch(b -> b.lane() == sw.lane && b.kind() != Kind.HOLD
          && Math.min(b.endMs(), sw.to) - Math.max(b.startMs(), sw.from) > (sw.to - sw.from) / 2);
      if (covered) {
        continue;
      }
      Kind kind = sw.lock.isEmpty() ? Kind.WAIT_OTHER : isLock(sw.lock) ? Kind.WAIT_LOCK : Kind.WAIT_OTHER;
      String what = sw.lock.isEmpty() ? "something (no lock recorded)" : describe(sw.lock);
      bars.add(new Bar(sw.lane, kind, sw.from, sw.to, what, sw.where, sw.owner == sw.lane ? -1 : sw.owner, sw.open,
          false));
    }
    // A sampled hold starts up to a period late; the owner held the lock at least since its waiter began to wait.
    for (int i = 0; i < bars.size(); i++) {
      Bar hold = bars.get(i);
      if (hold.kind() != Kind.HOLD) {
        continue;
      }
      long from = hold.startMs();
      for (Bar w : bars) {
        if (w.kind() == Kind.WAIT_LOCK && w.owner() == hold.lane() && w.what().equals(hold.what())
            && w.startMs() < from && w.endMs() > hold.startMs()) {
          from = w.startMs();
        }
      }
      if (from != hold.startMs()) {
        bars.set(i, new Bar(hold.lane(), Kind.HOLD, from, hold.endMs(), hold.what(), hold.where(), -1, false, false));
      }
    }
    bars.removeIf(b -> b.millis() < MIN_BAR_MS);
    bars.sort(Comparator.comparingInt(Bar::lane).thenComparingLong(Bar::startMs));
    return new Timeline(start, end, List.copyOf(laneOf.keySet()), List.copyOf(bars));
  }

  private record SampledWait(int lane, long from, long to, String lock, int owner, String where, boolean open) {}

  private static long ms(Instant start, Instant t) {
    return Duration.between(start, t).toMillis();
  }

  /** Whether a monitor or park blocker is a lock (rather than a future, latch, queue, or thread). */
  static boolean isLock(String className) {
    String c = className.replaceFirst("@.*$", "");
    return c.contains("ReentrantLock") || c.contains("ReentrantReadWriteLock") || c.contains("StampedLock")
        || (!c.startsWith("java.util.concurrent") && !c.startsWith("java.lang.Thread") && !c.isEmpty()
            && !c.contains("CompletableFuture") && !c.contains("FutureTask"));
  }

  /** What a waiter waited for, in words. */
  static String describe(String lock) {
    String c = lock.replaceFirst("@.*$", "");
    if (c.contains("CompletableFuture")) {
      return "a CompletableFuture";
    }
    if (c.contains("FutureTask")) {
      return "a Future";
    }
    if (c.contains("CountDownLatch")) {
      return "a CountDownLatch";
    }
    if (c.contains("CyclicBarrier")) {
      return "a CyclicBarrier";
    }
    if (c.contains("Semaphore")) {
      return "a Semaphore";
    }
    if (c.contains("ConditionObject")) {
      return "a Condition (a queue's take or put, or an await)";
    }
    if (c.equals("java.lang.Thread") || c.startsWith("java.lang.VirtualThread")) {
      return "a thread to end (join)";
    }
    if (c.isEmpty()) {
      return "something (no blocker recorded)";
    }
    return lockName(lock);
  }

  /** {@code java.util.concurrent.locks.ReentrantLock$NonfairSync@1b2c} reads as {@code ReentrantLock@1b2c}. */
  static String lockName(String identity) {
    String hash = identity.contains("@") ? identity.substring(identity.lastIndexOf('@')) : "";
    String c = identity.replaceFirst("@.*$", "");
    if (c.startsWith("REPL.")) {
      String s = c.substring(5);
      c = s.substring(s.lastIndexOf('$') + 1);
    } else {
      c = c.substring(c.lastIndexOf('.') + 1);
      c = c.replaceFirst("\\$(NonfairSync|FairSync|Sync)$", "");
      c = c.replace('$', '.');
    }
    return c + hash;
  }
}
