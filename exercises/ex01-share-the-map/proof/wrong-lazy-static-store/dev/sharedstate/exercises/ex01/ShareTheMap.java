// WRONG: the shared store is created lazily by the first connection, unsynchronized: two first connections can each create one
// CAUGHT BY: visibleAcrossConnections (sequential check through a second server)
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
    return KvServer.start(config, () -> {
      if (shared == null) shared = new MapStore();
      return shared;
    });
  }

  private static Store shared; // created by the first connection: two first connections may each make one

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
