package dev.sharedstate.exercises.ex04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DisplayName("ex04 sharded store")
@Exercise(id = "ex04-sharded-store", chapter = "chapters/06-contention-and-sharding.md", starter = ShardedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShardedStoreTest {
  /** Its hashCode is Integer.MIN_VALUE: Math.abs(hashCode) is still negative, and hashCode % n is too. */
  static final String MIN_HASH_KEY = "polygenelubricants";

  static int shardOf(String key, int n) {
    return Math.floorMod(key.hashCode(), n);
  }

  /** A key (other than {@code not}) whose shard out of {@code n} is {@code shard}. */
  static String keyInShard(int shard, int n, String not) {
    for (int i = 0; ; i++) {
      String k = "key:" + i;
      if (shardOf(k, n) == shard && !k.equals(not)) return k;
    }
  }

  /** Holds the lock of {@code key}'s shard: runs an update of {@code key} whose change waits for {@code release}. */
  static Thread holdShardOf(Store store, String key, CountDownLatch held, CountDownLatch release) {
    return Thread.ofPlatform().daemon().name("holds-shard-of-" + key).start(() -> store.update(key, e -> {
      held.countDown();
      try {
        release.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      return e;
    }));
  }

  static Store startAndCapture(ServerFactory factory, int n, List<KvServer> servers) throws Exception {
    var store = new AtomicReference<Store>();
    Consumer<Store> created = store::set;
    servers.add(factory.start(ServerConfig.ephemeral(), n, created));
    assertTrue(store.get() != null, "start(config, n, created) must hand the store it starts to created");
    return store.get();
  }

  @Test
  @DisplayName("16 clients INCR 40 keys (one with a negative hashCode) 25 times each at once over 4 shards: no count is lost")
  void concurrentClientsLoseNothing(ServerFactory factory) throws Exception {
    int clients = 16, rounds = 25;
    var keys = new ArrayList<String>();
    for (int i = 0; i < 39; i++) keys.add("key:" + i);
    keys.add(MIN_HASH_KEY);
    try (KvServer server = factory.start(ServerConfig.ephemeral(), 4);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var go = new CountDownLatch(1);
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
            j.ping();
            go.await();
            for (int r = 0; r < rounds; r++) {
              Pipeline p = j.pipelined();
              for (String k : keys) p.incr(k);
              p.sync();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (var f : done) f.get(15, TimeUnit.SECONDS);
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        List<String> got = j.mget(keys.toArray(String[]::new));
        for (int i = 0; i < keys.size(); i++) {
          assertEquals(String.valueOf(clients * rounds), got.get(i),
              "16 clients sent INCR " + keys.get(i) + " 400 times in all; GET " + keys.get(i) + " returned " + got.get(i));
        }
        assertEquals("OK", j.set(MIN_HASH_KEY, "v"));
        assertEquals("v", j.get(MIN_HASH_KEY));
        assertEquals(1L, j.del(MIN_HASH_KEY));
        assertFalse(j.exists(MIN_HASH_KEY), "DEL " + MIN_HASH_KEY + " must remove it");
      }
    }
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {4, 16})
  @DisplayName("while one shard's lock is held, clients' SET and GET of keys in every other shard answer at once")
  void otherShardsProceed(int n, ServerFactory factory) throws Exception {
    var servers = new ArrayList<KvServer>();
    var release = new CountDownLatch(1);
    try {
      Store store = startAndCapture(factory, n, servers);
      String heldKey = "held";
      int heldShard = shardOf(heldKey, n);
      var held = new CountDownLatch(1);
      Thread holder = holdShardOf(store, heldKey, held, release);
      assertTrue(held.await(5, TimeUnit.SECONDS), "update(\"held\", ...) never ran its change");
      try (var j = new Jedis("127.0.0.1", servers.get(0).port(), 2_000)) {
        for (int s = 0; s < n; s++) {
          if (s == heldShard) continue;
          String k = keyInShard(s, n, heldKey);
          try {
            assertEquals("OK", j.set(k, "v" + s));
            assertEquals("v" + s, j.get(k));
          } catch (JedisConnectionException e) {
            fail("shard " + heldShard + " of " + n + " (key 'held') was locked; SET/GET " + k + ", which is in shard "
                + s + " (Math.floorMod(hashCode, " + n + ")), got no reply within 2 s: keys in different"
                + " shards still wait for the same lock");
          }
        }
      }
      release.countDown();
      holder.join(5_000);
      assertFalse(holder.isAlive(), "the update holding shard " + heldShard + " never finished");
    } finally {
      release.countDown();
      for (var s : servers) s.close();
    }
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {1, 4, 16})
  @DisplayName("the shard count is respected: a key in the same shard (Math.floorMod(hashCode, n)) as a held one waits for it")
  void sameShardWaits(int n, ServerFactory factory) throws Exception {
    var servers = new ArrayList<KvServer>();
    var release = new CountDownLatch(1);
    try {
      Store store = startAndCapture(factory, n, servers);
      String heldKey = "held";
      String sameShard = keyInShard(shardOf(heldKey, n), n, heldKey);
      var held = new CountDownLatch(1);
      Thread holder = holdShardOf(store, heldKey, held, release);
      assertTrue(held.await(5, TimeUnit.SECONDS), "update(\"held\", ...) never ran its change");
      var ran = new AtomicBoolean();
      Thread waiter = Thread.ofPlatform().daemon().name("same-shard-" + sameShard).start(() ->
          store.update(sameShard, e -> { ran.set(true); return Entry.of(new byte[] {'1'}); }));
      // Wait (bounded) until the waiter either ran its change or parked on a lock.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!ran.get() && waiter.getState() != Thread.State.WAITING && waiter.getState() != Thread.State.BLOCKED) {
        if (System.nanoTime() > deadline) fail("update(\"" + sameShard + "\") neither ran nor waited within 5 s");
        Thread.sleep(1);
      }
      assertFalse(ran.get(), "with " + n + " shards, '" + sameShard + "' and 'held' are both in shard "
          + shardOf(heldKey, n) + " (Math.floorMod(hashCode, " + n + ")), yet '" + sameShard
          + "' was updated while that shard's lock was held: the store does not use exactly " + n + " shards");
      release.countDown();
      waiter.join(5_000);
      holder.join(5_000);
      assertTrue(ran.get(), "the update of '" + sameShard + "' never ran after shard " + shardOf(heldKey, n) + " was released");
      assertEquals("1", store.get(sameShard).text());
    } finally {
      release.countDown();
      for (var s : servers) s.close();
    }
  }

  @Test
  @DisplayName("a store of 0 shards is refused with a clear message")
  void zeroShardsRefused(ServerFactory factory) {
    var e = assertThrows(IllegalArgumentException.class, () -> factory.start(ServerConfig.ephemeral(), 0).close());
    assertTrue(e.getMessage() != null && e.getMessage().contains("0"), "the message must say what was wrong: " + e.getMessage());
  }
}
