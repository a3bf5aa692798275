// WRONG: a static lock: every store of the class shares it, so two servers wait on each other; the README asks for the store's own lock
// CAUGHT BY: readsTakeTheLock (checked before the forced schedule: a static lock field)
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

/** Exercise 1 with one lock for every store of the class: safe, but not the store's own lock. */
public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private static final ReentrantLock lock = new ReentrantLock(); // one lock for every store of the class

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
