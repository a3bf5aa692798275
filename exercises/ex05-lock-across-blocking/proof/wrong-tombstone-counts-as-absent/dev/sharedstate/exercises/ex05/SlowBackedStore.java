// WRONG: after the load, the value is stored when visible(cache.get(key)) is null, and a DEL's tombstone is visible as null: a DEL made during the load is undone
// CAUGHT BY: delDuringLoadWins (forced schedule)
package dev.sharedstate.exercises.ex05;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Exercise 5: a lock held across a blocking call. On a miss, GET asks a slow backing store (think: a
 * database 200 ms away) and waits for its {@link CompletableFuture}. The starter waits while holding
 * the store's lock, so one slow miss stalls every other client, even those whose keys are in memory.
 * Restructure it so that the lock is never held while waiting. lockcheck flags this file; it must not
 * flag yours.
 *
 * <p>A client's write (SET, INCR, DEL...) made while a load of the same key is in flight wins over the
 * value the backend sends back, a DEL included: the key stays deleted.
 */
public final class SlowBackedStore implements Store {
  /**
   * What the cache holds for a key a client deleted: a tombstone, so that the deleted key is not loaded
   * from the backend again. Compare with {@code ==} (an empty value is a different entry).
   */
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> cache = new HashMap<>(); // only ever touched with `lock` held
  private final Backend backend;

  /** The slow source of keys not in memory. */
  @FunctionalInterface
  public interface Backend {
    /** Completes with the value stored for {@code key}, or null; may take a long time. */
    CompletableFuture<Entry> load(String key);
  }

  public SlowBackedStore(Backend backend) {
    this.backend = backend;
  }

  /** Starts the server over {@code backend}. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config, Backend backend) throws IOException {
    return KvServer.start(config, new SlowBackedStore(backend));
  }

  /** Starts the server over a backend that knows no key and answers after 100 ms. */
  public static KvServer start(ServerConfig config) throws IOException {
    Executor slow = CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
    return start(config, key -> CompletableFuture.supplyAsync(() -> null, slow));
  }

  @Override
  public Entry get(String key) {
    lock.lock();
    try {
      Entry e = cache.get(key);
      if (e != null) return visible(e);
    } finally {
      lock.unlock();
    }
    Entry loaded = backend.load(key).join(); // no lock held while waiting
    lock.lock();
    try {
      Entry now = visible(cache.get(key));
      if (now != null) return now; // a SET made meanwhile wins
      if (loaded != null) cache.put(key, loaded);
      return loaded;
    } finally {
      lock.unlock();
    }
  }

  /** The entry a client sees: none for a tombstone. */
  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    lock.lock();
    try {
      // Writes act on what is in memory (they do not ask the backend); a removal leaves a tombstone.
      Entry next = change.apply(visible(cache.get(key)));
      cache.put(key, next == null ? DELETED : next);
      return next;
    } finally {
      lock.unlock();
    }
  }
}
