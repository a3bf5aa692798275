// WRONG: a read-write lock, but update reads and writes the map under the READ lock: two INCRs hold it at once
// CAUGHT BY: linearizable (interleaving)
package dev.sharedstate.exercises.ex01;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.*;
import java.util.function.UnaryOperator;

public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      rw.readLock().lock();
      try {
        return map.get(key);
      } finally {
        rw.readLock().unlock();
      }
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      rw.readLock().lock();
      try {
        Entry next = change.apply(map.get(key));
        if (next == null) map.remove(key);
        else map.put(key, next);
        return next;
      } finally {
        rw.readLock().unlock();
      }
    }
  }
}
