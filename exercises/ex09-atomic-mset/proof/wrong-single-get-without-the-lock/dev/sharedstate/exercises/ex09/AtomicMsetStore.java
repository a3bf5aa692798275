// WRONG: MGET and MSET lock their shards in order, but a single GET reads its shard's HashMap without the shard's lock (one key cannot be torn, thought the learner): it may see the map half changed
// CAUGHT BY: readsTakeTheLock (forced schedule)
package dev.sharedstate.exercises.ex09;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.MultiKeyStore;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Exercise 9: atomic MSET and MGET over a sharded store. Single-key commands lock the key's shard, as in
 * exercise 4. The starter's {@code getAll} and {@code updateAll} go key by key, each under its own shard's
 * lock, so an MGET can see half of an MSET. Make both take every shard they touch first, in one global
 * order, and only then read or write.
 */
public final class AtomicMsetStore implements MultiKeyStore {
  /** Shards used by {@link #start(ServerConfig)}. */
  public static final int DEFAULT_SHARDS = 16;

  private final List<ReentrantLock> locks = new ArrayList<>();
  private final List<Map<String, Entry>> shards = new ArrayList<>();

  /** A store of {@code n} shards; {@code n} must be at least 1. */
  public AtomicMsetStore(int n) {
    if (n < 1) throw new IllegalArgumentException("a sharded store needs at least 1 shard, not " + n);
    for (int i = 0; i < n; i++) {
      locks.add(new ReentrantLock());
      shards.add(new HashMap<>());
    }
  }

  /** Starts the server over {@value #DEFAULT_SHARDS} shards. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, DEFAULT_SHARDS);
  }

  /** Starts the server over {@code n} shards. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config, int n) throws IOException {
    return start(config, n, store -> {});
  }

  /** Starts the server over {@code n} shards and hands the store to {@code created} first (the tests hold shards). */
  public static KvServer start(ServerConfig config, int n, Consumer<Store> created) throws IOException {
    var store = new AtomicMsetStore(n);
    created.accept(store);
    return KvServer.start(config, store);
  }

  /** The shard that holds {@code key}. Given: keep it as it is (the tests place keys with it). */
  private int shardOf(String key) {
    return Math.floorMod(key.hashCode(), shards.size());
  }

  @Override
  public Entry get(String key) {
    return shards.get(shardOf(key)).get(key); // one key: nothing to tear
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    int s = shardOf(key);
    locks.get(s).lock();
    try {
      Map<String, Entry> shard = shards.get(s);
      Entry next = change.apply(shard.get(key));
      if (next == null) shard.remove(key);
      else shard.put(key, next);
      return next;
    } finally {
      locks.get(s).unlock();
    }
  }

  private int[] lockOrder(List<String> keys) {
    return keys.stream().mapToInt(this::shardOf).distinct().sorted().toArray();
  }

  private void lockAll(int[] order) {
    for (int s : order) locks.get(s).lock();
  }

  private void unlockAll(int[] order) {
    for (int i = order.length - 1; i >= 0; i--) locks.get(order[i]).unlock();
  }

  @Override
  public List<Entry> getAll(List<String> keys) {
    int[] order = lockOrder(keys);
    lockAll(order);
    try {
      var out = new ArrayList<Entry>(keys.size());
      for (String k : keys) out.add(shards.get(shardOf(k)).get(k));
      return Collections.unmodifiableList(out);
    } finally {
      unlockAll(order);
    }
  }

  @Override
  public List<Entry> updateAll(List<String> keys, UnaryOperator<List<Entry>> change) {
    int[] order = lockOrder(keys);
    lockAll(order);
    try {
      var current = new ArrayList<Entry>(keys.size());
      for (String k : keys) current.add(shards.get(shardOf(k)).get(k));
      List<Entry> next = change.apply(Collections.unmodifiableList(current));
      for (int i = 0; i < keys.size(); i++) {
        Map<String, Entry> shard = shards.get(shardOf(keys.get(i)));
        if (next.get(i) == null) shard.remove(keys.get(i));
        else shard.put(keys.get(i), next.get(i));
      }
      return next;
    } finally {
      unlockAll(order);
    }
  }
}
