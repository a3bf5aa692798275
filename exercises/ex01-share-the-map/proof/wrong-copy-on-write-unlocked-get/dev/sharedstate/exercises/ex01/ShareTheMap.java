// WRONG: copy-on-write of a HashMap, get without the lock: thread-safe (each published copy is never changed), but the README asks get to take the lock whenever the map is a HashMap
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

/** Exercise 1 as copy-on-write: each update publishes a changed copy of the HashMap; get reads it unlocked. */
public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      return map.get(key); // copy-on-write: the published map is never changed again
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      lock.lock();
      try {
        Map<String, Entry> copy = new HashMap<>(map);
        Entry next = change.apply(copy.get(key));
        if (next == null) copy.remove(key);
        else copy.put(key, next);
        map = copy;
        return next;
      } finally {
        lock.unlock();
      }
    }
  }
}
