package dev.sharedstate.kv;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A correct store in a few lines (a {@code ConcurrentHashMap} and its atomic {@code compute}), for the
 * exercises that are about something else than the store: the pub/sub exercise's server uses it.
 */
public final class ConcurrentMapStore implements Store {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

  @Override
  public Entry get(String key) {
    return map.get(key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    return map.compute(key, (k, old) -> change.apply(old));
  }
}
