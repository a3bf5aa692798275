package dev.sharedstate.exercises.grading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * A forced schedule for "every access to a plain map is under the lock": the test takes every lock the
 * store has (its {@link Lock} fields, the write half of a {@link ReadWriteLock}, a {@link StampedLock}'s
 * write lock, its own monitor for {@code synchronized} methods, the monitors of its maps and of plain
 * {@code Object} fields for {@code synchronized} blocks), then lets another thread read. A store
 * whose reads take the lock makes that reader wait; one that reads its {@code HashMap} without the lock
 * answers at once. The model checker cannot see that race (on its sequentially consistent memory an
 * unlocked read of a map never looks torn), but the Java memory model allows the reader to see a
 * half-built map.
 *
 * <p>Applies only to a store that keeps a thread-unsafe map ({@code HashMap}, {@code TreeMap}...): a store
 * built on {@code ConcurrentHashMap} may read without a lock, and is left alone. Not for a store whose map
 * only one thread ever touches (an owner thread).
 */
public final class LockProbe {
  private static final List<Class<?>> UNSAFE_MAPS =
      List.of(HashMap.class, TreeMap.class, IdentityHashMap.class, WeakHashMap.class, EnumMap.class);

  private LockProbe() {}

  /** Enters the monitors of {@code monitors} from {@code i} on, nested, then waits for {@code release}. */
  private static void holdMonitors(List<Object> monitors, int i, CountDownLatch held, CountDownLatch release)
      throws InterruptedException {
    if (i == monitors.size()) {
      held.countDown();
      release.await(10, TimeUnit.SECONDS);
      return;
    }
    synchronized (monitors.get(i)) {
      holdMonitors(monitors, i + 1, held, release);
    }
  }

  /** What the probe saw. */
  public enum Result { READ_WAITED, READ_WITHOUT_LOCK, NOT_APPLICABLE }

  /**
   * Holds every lock of {@code store} and runs {@code read} on another thread; says whether the read
   * waited for the locks. Releases everything before returning.
   */
  public static Result readWhileLocked(Object store, Runnable read) throws InterruptedException {
    List<Object> locks = new ArrayList<>();
    List<Object> monitors = new ArrayList<>(List.of(store));
    boolean plainMap = false;
    for (Object v : FieldValues.of(store, false).values()) {
      for (Object item : v instanceof List<?> l ? l : List.of(v)) {
        if (item instanceof Lock || item instanceof ReadWriteLock || item instanceof StampedLock) locks.add(item);
        if (item instanceof Map<?, ?> && UNSAFE_MAPS.stream().anyMatch(k -> k.isInstance(item))) {
          plainMap = true;
          monitors.add(item); // for synchronized (map) { ... }
        }
        if (item != null && item.getClass() == Object.class) monitors.add(item); // a private final Object mutex
      }
    }
    if (!plainMap) return Result.NOT_APPLICABLE;

    var held = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var failure = new AtomicReference<Throwable>();
    Thread holder = Thread.ofPlatform().daemon().name("grading-holds-the-store-locks").start(() -> {
      List<Runnable> unlocks = new ArrayList<>();
      try {
        for (Object l : locks) {
          if (l instanceof Lock lock) {
            lock.lock();
            unlocks.add(lock::unlock);
          } else if (l instanceof ReadWriteLock rw) {
            rw.writeLock().lock();
            unlocks.add(rw.writeLock()::unlock);
          } else if (l instanceof StampedLock s) {
            long stamp = s.writeLock();
            unlocks.add(() -> s.unlockWrite(stamp));
          }
        }
        holdMonitors(monitors, 0, held, release);
      } catch (Throwable t) {
        failure.set(t);
        held.countDown();
      } finally {
        for (int i = unlocks.size() - 1; i >= 0; i--) unlocks.get(i).run();
      }
    });
    try {
      if (!held.await(5, TimeUnit.SECONDS) || failure.get() != null) {
        throw new AssertionError("grading could not take the store's locks: " + failure.get());
      }
      var done = new AtomicBoolean();
      Thread reader = Thread.ofPlatform().daemon().name("grading-reader").start(() -> {
        try {
          read.run();
        } finally {
          done.set(true);
        }
      });
      Await.Outcome o = Await.parkedOrDone(reader, done::get, Duration.ofSeconds(3));
      release.countDown();
      reader.join(5_000);
      return o == Await.Outcome.DONE ? Result.READ_WITHOUT_LOCK : Result.READ_WAITED;
    } finally {
      release.countDown();
      holder.join(5_000);
    }
  }
}
