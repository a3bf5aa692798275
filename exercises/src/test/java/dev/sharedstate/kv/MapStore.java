package dev.sharedstate.kv;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** A correct store for testing the server itself: {@link ConcurrentHashMap#compute} is atomic per key. */
final class MapStore implements Store {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

  @Override
  public Entry get(String key) {
    return map.get(key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    Entry[] result = new Entry[1];
    map.compute(key, (k, old) -> result[0] = change.apply(old));
    return result[0];
  }
}
