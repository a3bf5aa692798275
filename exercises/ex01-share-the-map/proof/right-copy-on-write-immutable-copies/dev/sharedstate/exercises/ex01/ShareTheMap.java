// RIGHT: copy-on-write of immutable maps: update publishes Map.copyOf of a changed copy through a volatile field; get reads it without the lock
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

/** Exercise 1 as copy-on-write: each update publishes an immutable changed copy; get reads it unlocked. */
public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, Entry> map = Map.of(); // immutable: safe to read without the lock

    @Override
    public Entry get(String key) {
      return map.get(key); // a published map is immutable
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      lock.lock();
      try {
        Map<String, Entry> copy = new HashMap<>(map);
        Entry next = change.apply(copy.get(key));
        if (next == null) copy.remove(key);
        else copy.put(key, next);
        map = Map.copyOf(copy);
        return next;
      } finally {
        lock.unlock();
      }
    }
  }
}
