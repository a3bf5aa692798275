// WRONG: the loaded value is stored with no lock held: the HashMap is written while other threads use it
// CAUGHT BY: linearizable (interleaving)
package dev.sharedstate.exercises.ex05;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

public final class SlowBackedStore implements Store {
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private final Map<String, Entry> cache = new HashMap<>();
  private final Backend backend;

  @FunctionalInterface
  public interface Backend {
    CompletableFuture<Entry> load(String key);
  }

  public SlowBackedStore(Backend backend) {
    this.backend = backend;
  }

  public static KvServer start(ServerConfig config, Backend backend) throws IOException {
    return KvServer.start(config, new SlowBackedStore(backend));
  }

  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, key -> CompletableFuture.completedFuture(null));
  }

  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
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
    Entry loaded = backend.load(key).join();
    if (loaded == null) return null;
    return visible(cache.merge(key, loaded, (written, fromBackend) -> written));
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
