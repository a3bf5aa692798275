// WRONG: copy-on-write through an AtomicReference, but update reads it, copies, changes and set()s, with no compareAndSet loop: two concurrent updates each publish a copy and one is lost
// CAUGHT BY: linearizable (interleaving)
package dev.sharedstate.exercises.ex03;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>(); // unused now
  private final AtomicReference<Map<String, Entry>> ref = new AtomicReference<>(Map.of());

  /** Starts the server. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config) throws IOException {
    return KvServer.start(config, new NoLostUpdates());
  }

  @Override
  public Entry get(String key) {
    return ref.get().get(key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Map<String, Entry> copy = new HashMap<>(ref.get());
    Entry next = change.apply(copy.get(key));
    if (next == null) copy.remove(key);
    else copy.put(key, next);
    ref.set(Map.copyOf(copy));
    return next;
  }
}
