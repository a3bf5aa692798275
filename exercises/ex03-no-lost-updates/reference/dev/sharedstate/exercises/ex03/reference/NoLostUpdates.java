package dev.sharedstate.exercises.ex03.reference;

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
    return map.compute(key, (k, old) -> change.apply(old));
  }
}
