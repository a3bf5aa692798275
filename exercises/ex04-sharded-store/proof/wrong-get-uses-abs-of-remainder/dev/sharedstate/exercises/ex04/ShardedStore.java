// WRONG: update picks the shard with Math.floorMod, get with Math.abs(h % n): the two agree for keys of positive hashCode only, so a GET of a key with a negative one looks in another shard
// CAUGHT BY: everyKeyHasAShard (sequential check)
package dev.sharedstate.exercises.ex04;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Exercise 4: a sharded store. The keys are split over N maps, each behind its own lock, so that two
 * clients wait for each other only when their keys fall into the same shard. The starter has the N maps
 * and N locks but sends every key to shard 0: one lock for everything, as before. Pick the shard from
 * the key's hash.
 */
public final class ShardedStore implements Store {
  /** Shards used by {@link #start(ServerConfig)}. */
  public static final int DEFAULT_SHARDS = 16;

  private final List<ReentrantLock> locks = new ArrayList<>();
  private final List<Map<String, Entry>> shards = new ArrayList<>();

  /** A store of {@code n} shards; {@code n} must be at least 1. */
  public ShardedStore(int n) {
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

  /**
   * Starts the server over {@code n} shards and hands the store to {@code created} first. Keep this
   * signature: the tests use it to hold one shard's lock while clients use the others.
   */
  public static KvServer start(ServerConfig config, int n, Consumer<Store> created) throws IOException {
    var store = new ShardedStore(n);
    created.accept(store);
    return KvServer.start(config, store);
  }

  /** The shard that holds {@code key}: a number from 0 to N - 1. */
  private int shardOf(String key) {
    return Math.floorMod(key.hashCode(), shards.size());
  }

  @Override
  public Entry get(String key) {
    int s = Math.abs(key.hashCode() % shards.size());
    locks.get(s).lock();
    try {
      return shards.get(s).get(key);
    } finally {
      locks.get(s).unlock();
    }
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
}
