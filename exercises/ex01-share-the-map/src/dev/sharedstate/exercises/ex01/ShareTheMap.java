package dev.sharedstate.exercises.ex01;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Exercise 1: share the map. This is the lesson's flawed server: every connection gets a fresh map, so
 * a value SET by one client is invisible to every other client. Make all connections share one store,
 * safely (many connections call it at once, each on its own virtual thread).
 */
public final class ShareTheMap {
  private ShareTheMap() {}

  /** Starts the server. Keep this signature: the tests and {@code ./exercises/server} call it. */
  public static KvServer start(ServerConfig config) throws IOException {
    // TODO: one store shared by every connection. Today each connection gets its own new MapStore.
    return KvServer.start(config, () -> new MapStore());
  }

  /** A store backed by a plain HashMap. */
  static final class MapStore implements Store {
    // TODO: a HashMap is not safe to use from many threads at once. Guard it (or pick a map that is).
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      return map.get(key);
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      Entry next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
      return next;
    }
  }
}
