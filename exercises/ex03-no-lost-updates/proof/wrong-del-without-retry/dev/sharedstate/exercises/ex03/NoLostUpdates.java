// WRONG: a CAS update that retries when its put fails, but a DEL whose remove(key, old) fails is dropped silently
// CAUGHT BY: linearizable (interleaving)
package dev.sharedstate.exercises.ex03;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Reference for exercise 3: {@link ConcurrentHashMap#compute} reads, changes and writes a key as one step. */
public final class NoLostUpdates implements Store {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

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
    if (next == null) {
      map.remove(key, old == null ? next : old);
      return null;
    }
    if (old == null ? map.putIfAbsent(key, next) == null : map.replace(key, old, next)) return next;
    return map.compute(key, (k, now) -> change.apply(now)); // lost the race: do it properly this time

  }
}
