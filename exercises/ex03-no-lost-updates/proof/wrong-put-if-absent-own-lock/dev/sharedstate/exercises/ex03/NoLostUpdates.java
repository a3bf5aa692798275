// WRONG: a lock per key registered with putIfAbsent, but the update locks the lock it created, not the one putIfAbsent kept: two first INCRs of a key each lock their own
// CAUGHT BY: updateIsAtomic (forced schedule)
package dev.sharedstate.exercises.ex03;

import java.util.concurrent.locks.ReentrantLock;
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
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

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
    ReentrantLock mine = new ReentrantLock();
    locks.putIfAbsent(key, mine);
    mine.lock();
    try {
      Entry next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
      return next;
    } finally {
      mine.unlock();
    }
  }
}
