package dev.sharedstate.exercises.ex02.reference;

import dev.sharedstate.exercises.ex02.LoggedStore.ChangeLog;
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
 * Reference for exercise 2: the lock is a private field, and each method that takes it does one short
 * map operation and releases it. The change log, someone else's code, is told after the unlock, so a
 * slow log delays only the client whose change it is logging, and a log that reads the store works.
 */
public final class LoggedStore implements Store {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> map = new HashMap<>();
  private final ChangeLog log;

  public LoggedStore(ChangeLog log) {
    this.log = log;
  }

  public static KvServer start(ServerConfig config, ChangeLog log) throws IOException {
    return KvServer.start(config, new LoggedStore(log));
  }

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
    lock.lock();
    try {
      return map.get(key);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Entry next = apply(key, change);
    log.changed(key, next); // no lock held: the log may be slow, or read the store
    return next;
  }

  /** The only place the map changes: short, and calls nothing but the server's short {@code change}. */
  private Entry apply(String key, UnaryOperator<Entry> change) {
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
