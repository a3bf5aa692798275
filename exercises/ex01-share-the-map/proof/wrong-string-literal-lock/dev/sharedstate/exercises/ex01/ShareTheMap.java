// WRONG: both methods synchronize on a String literal: one interned object shared by every store of the class (and any other code locking "lock"), not the store's own lock
// CAUGHT BY: readsTakeTheLock (forced schedule)
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
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      synchronized ("lock") {
        return map.get(key);
      }
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      synchronized ("lock") {
        Entry next = change.apply(map.get(key));
        if (next == null) map.remove(key);
        else map.put(key, next);
        return next;
      }
    }
  }
}
