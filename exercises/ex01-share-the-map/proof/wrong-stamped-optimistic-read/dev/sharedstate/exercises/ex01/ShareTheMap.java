// WRONG: a StampedLock optimistic read of the HashMap (validated, falling back to the read lock): the map is still read while a writer may be changing it, and a HashMap read mid-change may throw or loop
// CAUGHT BY: readsTakeTheLock (locks held, call by call)
package dev.sharedstate.exercises.ex01;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.*;
import java.util.function.UnaryOperator;

public final class ShareTheMap {
  private ShareTheMap() {}

  public static KvServer start(ServerConfig config) throws IOException {
    Store shared = new MapStore();
    return KvServer.start(config, () -> shared);
  }

  static final class MapStore implements Store {
    private final StampedLock sl = new StampedLock();
    private final Map<String, Entry> map = new HashMap<>();

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
      long stamp = sl.writeLock();
      try {
        Entry next = change.apply(map.get(key));
        if (next == null) map.remove(key);
        else map.put(key, next);
        return next;
      } finally {
        sl.unlockWrite(stamp);
      }
    }
  }
}
