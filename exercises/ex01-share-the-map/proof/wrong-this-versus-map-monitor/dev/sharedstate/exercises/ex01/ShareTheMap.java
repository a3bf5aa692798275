// WRONG: update locks the store (synchronized method), get locks the map (synchronized (map)): two different monitors, so a GET runs while an update changes the HashMap
// CAUGHT BY: linearizable (interleaving)
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
      synchronized (map) {
        return map.get(key);
      }
    }

    @Override
    public synchronized Entry update(String key, UnaryOperator<Entry> change) {
      Entry next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
      return next;
    }
  }
}
