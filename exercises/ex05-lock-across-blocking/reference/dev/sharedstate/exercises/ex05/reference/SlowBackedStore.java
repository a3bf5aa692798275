package dev.sharedstate.exercises.ex05.reference;

import dev.sharedstate.exercises.ex05.SlowBackedStore.Backend;
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
 * Reference for exercise 5: look up under the lock, wait for the backend with the lock released, then
 * lock again to store what came back, unless a client wrote the key meanwhile: its write wins, a DEL's
 * tombstone included.
 */
public final class SlowBackedStore implements Store {
  /** A deleted key's tombstone (compared with ==): the backend is not asked for it again. */
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> cache = new HashMap<>();
  private final Backend backend;

  public SlowBackedStore(Backend backend) {
    this.backend = backend;
  }

  public static KvServer start(ServerConfig config, Backend backend) throws IOException {
    return KvServer.start(config, new SlowBackedStore(backend));
  }

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
      if (loaded == null) return visible(cache.get(key)); // not in the backend; a write made meanwhile counts
      return visible(cache.merge(key, loaded, (written, fromBackend) -> written)); // a write made meanwhile wins
    } finally {
      lock.unlock();
    }
  }

  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    lock.lock();
    try {
      Entry next = change.apply(visible(cache.get(key)));
      cache.put(key, next == null ? DELETED : next);
      return next;
    } finally {
      lock.unlock();
    }
  }
}
