// WRONG: get tries the lock and, when busy, reads the HashMap without it
// CAUGHT BY: readsTakeTheLock (forced schedule)
package dev.sharedstate.exercises.ex01;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/** Reference solution of exercise 1: one map, created once, behind one lock, handed to every connection. */
public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      if (lock.tryLock()) {
        try {
          return map.get(key);
        } finally {
          lock.unlock();
        }
      }
      return map.get(key); // busy: read anyway rather than wait

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
