// WRONG: update and the log are right, but get reads the HashMap optimistically under a StampedLock (validated, then the read lock): the map is read while a writer may be changing it
// CAUGHT BY: readsTakeTheLock (locks held, call by call)
package dev.sharedstate.exercises.ex02;

import java.util.concurrent.locks.StampedLock;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Exercise 2: a lock that never escapes. Every change to the store is also reported to a
 * {@link ChangeLog} (think: a replica, an audit log on a slow disk). The starter calls the change log
 * while it still holds the store's lock, so code the store does not control runs under its lock: a
 * slow log stalls every client, and a log that reads the store deadlocks it. Keep the lock private to
 * short methods that never call out (the chapter's {@code CanIncrement} pattern).
 */
public final class LoggedStore implements Store {
  private final ReentrantLock lock = new ReentrantLock();
  private final StampedLock sl = new StampedLock();
  private final Map<String, Entry> map = new HashMap<>();
  private final ChangeLog log;

  /** Hears about every change the store makes. May be slow, may block, may read the store. */
  @FunctionalInterface
  public interface ChangeLog {
    /** {@code key} now holds {@code now} (null: the key was removed). */
    void changed(String key, Entry now);
  }

  public LoggedStore(ChangeLog log) {
    this.log = log;
  }

  /** Starts the server over {@code log}. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config, ChangeLog log) throws IOException {
    return KvServer.start(config, new LoggedStore(log));
  }

  /** Starts the server with a change log that takes 20 ms per change (a replica far away). */
  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, (key, now) -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public Entry get(String key) {
    long stamp = sl.tryOptimisticRead();
    Entry e = map.get(key);
    if (sl.validate(stamp)) return e;
    stamp = sl.readLock();
    try {
      return map.get(key);
    } finally {
      sl.unlockRead(stamp);
    }
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Entry next;
    long stamp = sl.writeLock();
    try {
      next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
    } finally {
      sl.unlockWrite(stamp);
    }
    log.changed(key, next);
    return next;
  }
}
