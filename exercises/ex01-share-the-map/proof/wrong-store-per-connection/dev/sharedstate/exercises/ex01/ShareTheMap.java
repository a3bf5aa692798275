// WRONG: the store is locked (the second TODO only), but every connection still gets its own
// CAUGHT BY: visibleAcrossConnections (sequential check through two clients)
package dev.sharedstate.exercises.ex01;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    return KvServer.start(config, () -> new MapStore());
  }

  static final class MapStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      lock.lock();
      try {
        return map.get(key);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      lock.lock();
      try {
        Entry next = change.apply(map.get(key));
        if (next == null) map.remove(key);
        else map.put(key, next);
        return next;
      } finally {
        lock.unlock();
      }
    }
  }
}
