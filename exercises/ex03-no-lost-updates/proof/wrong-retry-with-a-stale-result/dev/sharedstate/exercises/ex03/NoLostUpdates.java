// WRONG: retries the compare-and-set, but with the result computed from the first read
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
    Entry old = map.get(key);
    Entry next = change.apply(old);
    while (true) {
      boolean done;
      if (old == null) done = next == null || map.putIfAbsent(key, next) == null;
      else if (next == null) done = map.remove(key, old);
      else done = map.replace(key, old, next);
      if (done) return next;
      old = map.get(key); // but next is not recomputed
    }
  }
}
