package dev.sharedstate.exercises.grading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a test's clients at the same time, each on its own virtual thread (never the common pool, whose
 * size depends on the machine: on 2 cores it has one thread, and "concurrent" clients run one after the
 * other). Every client connects and gets ready, then all are released at once.
 */
public final class Clients {
  private Clients() {}

  /** One client's work; {@code ready} is called once it is connected, and returns when all are released. */
  @FunctionalInterface
  public interface Body {
    void run(int client, Runnable ready) throws Exception;
  }

  /**
   * Runs {@code body} for clients {@code 0..n-1} at once and waits for all of them, at most {@code limit};
   * rethrows the first failure, naming its client.
   */
  public static void run(int n, Duration limit, Body body) throws Exception {
    var arrived = new CountDownLatch(n);
    var go = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < n; c++) {
        int id = c;
        done.add(pool.submit(() -> {
          body.run(id, () -> {
            arrived.countDown();
            try {
              if (!go.await(limit.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          });
          return null;
        }));
      }
      long deadline = System.nanoTime() + limit.toNanos();
      arrived.await(limit.toMillis(), TimeUnit.MILLISECONDS);
      go.countDown();
      for (int c = 0; c < n; c++) {
        try {
          done.get(c).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof AssertionError a) throw new AssertionError("client " + (c + 1) + " of " + n + ": " + a.getMessage(), a);
          throw new AssertionError("client " + (c + 1) + " of " + n + " failed: " + cause, cause);
        } catch (TimeoutException e) {
          pool.shutdownNow();
          throw new AssertionError(n + " clients did not finish within " + limit.toSeconds() + " s (client " + (c + 1)
              + " was still waiting for a reply): is the server stuck? Where its threads were:\n" + Stacks.stuck());
        }
      }
    }
  }
}
