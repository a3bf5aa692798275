// WRONG: a lock around the write, not around the read that the new value is computed from
// CAUGHT BY: updateIsAtomic (forced schedule)
package dev.sharedstate.exercises.ex03;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

public final class NoLostUpdates implements Store {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  public static KvServer start(ServerConfig config) throws IOException {
    return KvServer.start(config, new NoLostUpdates());
  }

  @Override
  public Entry get(String key) {
    return map.get(key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Entry next = change.apply(map.get(key));
    lock.lock();
    try {
      if (next == null) map.remove(key);
      else map.put(key, next);
    } finally {
      lock.unlock();
    }
    return next;
  }
}
