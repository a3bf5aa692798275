// WRONG: compute when the key exists, a plain put when it does not: two first INCRs both write 1
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
    if (map.containsKey(key)) return map.compute(key, (k, old) -> change.apply(old));
    Entry next = change.apply(null);
    if (next != null) map.put(key, next);
    return next;
  }
}
