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
 * lock again to store what came back, unless a client wrote the key meanwhile (its write wins).
 */
public final class SlowBackedStore implements Store {
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
      if (e != null) return e;
    } finally {
      lock.unlock();
    }
    Entry loaded = backend.load(key).join(); // no lock held while waiting
    if (loaded == null) return null;
    lock.lock();
    try {
      return cache.merge(key, loaded, (written, fromBackend) -> written);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    lock.lock();
    try {
      Entry next = change.apply(cache.get(key));
      if (next == null) cache.remove(key);
      else cache.put(key, next);
      return next;
    } finally {
      lock.unlock();
    }
  }
}
