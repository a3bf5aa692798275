// WRONG: the change happens under the lock, but the log is told what get() reads afterwards, maybe another client's value
// CAUGHT BY: linearizableAndLoggedOnce (interleaving)
package dev.sharedstate.exercises.ex02;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

public final class LoggedStore implements Store {
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  private final Map<String, Entry> map = new HashMap<>();
  private final ChangeLog log;

  @FunctionalInterface
  public interface ChangeLog {
    void changed(String key, Entry now);
  }

  public LoggedStore(ChangeLog log) {
    this.log = log;
  }

  public static KvServer start(ServerConfig config, ChangeLog log) throws IOException {
    return KvServer.start(config, new LoggedStore(log));
  }

  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, (key, now) -> {});
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
    log.changed(key, get(key));
    return next;
  }

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
