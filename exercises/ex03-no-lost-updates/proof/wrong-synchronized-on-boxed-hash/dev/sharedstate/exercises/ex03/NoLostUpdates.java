// WRONG: synchronizes on the key's hashCode boxed to an Integer: Integer.valueOf caches only -128..127, so two requests for most keys lock two different Integers
// CAUGHT BY: updateIsAtomic (forced schedule)
package dev.sharedstate.exercises.ex03;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Exercise 3: no lost updates. The map is a {@link ConcurrentHashMap}, so every single get and put is
 * safe, yet {@code INCR} from 50 clients at once loses counts: {@code update} reads, computes and writes
 * in three separate steps, and two clients can read the same old value. Make {@code update} atomic.
 */
public final class NoLostUpdates implements Store {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

  /** Starts the server. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config) throws IOException {
    return KvServer.start(config, new NoLostUpdates());
  }

  @Override
  public Entry get(String key) {
    return map.get(key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Integer stripe = key.hashCode();
    synchronized (stripe) {
      Entry next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
      return next;
    }
  }
}
