package dev.sharedstate.exercises.grading;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for a forced schedule: until a thread has parked, or a condition holds. */
public final class Await {
  private Await() {}

  /** What a watched thread did first. */
  public enum Outcome { PARKED, DONE, NEITHER }

  /**
   * Waits, at most {@code limit}, until {@code done} holds or {@code t} is parked (waiting on a lock, a
   * condition, a future...). A thread that keeps running past the limit is {@link Outcome#NEITHER}.
   */
  public static Outcome parkedOrDone(Thread t, BooleanSupplier done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) return Outcome.DONE;
      Thread.State s = t.getState();
      if (s == Thread.State.TERMINATED) return done.getAsBoolean() ? Outcome.DONE : Outcome.NEITHER;
      if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED) {
        // Parked: make sure it stays parked (not a passing park inside a short lock hand-off).
        sleep(20);
        if (done.getAsBoolean()) return Outcome.DONE;
        Thread.State again = t.getState();
        if (again == Thread.State.WAITING || again == Thread.State.TIMED_WAITING || again == Thread.State.BLOCKED) {
          return Outcome.PARKED;
        }
      }
      sleep(1);
    }
    return done.getAsBoolean() ? Outcome.DONE : Outcome.NEITHER;
  }

  /** Waits, at most {@code limit}, until {@code condition} holds; returns whether it did. */
  public static boolean until(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      sleep(2);
    }
    return true;
  }

  /**
   * CPU time {@code t} used, in nanoseconds, or -1 if the JVM cannot tell (a virtual thread, or thread CPU
   * time not supported).
   */
  public static long cpuNanos(Thread t) {
    var mx = ManagementFactory.getThreadMXBean();
    if (t.isVirtual() || !mx.isThreadCpuTimeSupported()) return -1;
    if (!mx.isThreadCpuTimeEnabled()) mx.setThreadCpuTimeEnabled(true);
    return mx.getThreadCpuTime(t.threadId());
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
