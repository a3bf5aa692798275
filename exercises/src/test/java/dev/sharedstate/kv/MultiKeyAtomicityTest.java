package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstate.exercises.ex04.reference.ShardedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 6: no MGET sees half of an MSET, whatever the store (here a ConcurrentHashMap store
 * and exercise 4's sharded store, whose keys sit behind different locks).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiKeyAtomicityTest {

  @Test
  @DisplayName("MGET of two keys never sees a torn MSET pair (map store)")
  void mapStore() throws Exception {
    assertNoTornPairs(MapStore::new);
  }

  @Test
  @DisplayName("MGET of two keys never sees a torn MSET pair (sharded store, keys in different shards)")
  void shardedStore() throws Exception {
    assertNoTornPairs(() -> new ShardedStore(16));
  }

  private static void assertNoTornPairs(Supplier<Store> stores) throws Exception {
    Store store = stores.get();
    try (var server = KvServer.start(ServerConfig.ephemeral(), store)) {
      int port = server.port();
      var torn = new AtomicLong();
      var reads = new AtomicLong();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
      var threads = new ArrayList<Thread>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        threads.add(Thread.ofPlatform().start(() -> run(port, c -> {
          for (long i = 0; System.nanoTime() < until; i++) {
            String v = writer + ":" + i;
            c.call("MSET", "a", v, "b", v);
          }
        })));
      }
      for (int r = 0; r < 4; r++) {
        threads.add(Thread.ofPlatform().start(() -> run(port, c -> {
          while (System.nanoTime() < until) {
            String reply = c.call("MGET", "a", "b");
            reads.incrementAndGet();
            String[] parts = reply.split("\r\n");
            if (parts.length == 5 && !parts[2].equals(parts[4])) torn.incrementAndGet();
          }
        })));
      }
      for (Thread t : threads) t.join();
      assertEquals(0, torn.get(), torn.get() + " of " + reads.get() + " MGETs saw a torn pair");
      assertEquals(true, reads.get() > 100, "too few reads to mean anything: " + reads.get());
    }
  }

  interface Body {
    void run(RespClient c) throws Exception;
  }

  private static void run(int port, Body body) {
    try (var c = new RespClient(port)) {
      body.run(c);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  @DisplayName("a store that implements MultiKeyStore gets MSET and MGET as one call each")
  void multiKeyStoreIsUsed() throws Exception {
    var calls = new ArrayList<String>();
    var inner = new MapStore();
    MultiKeyStore store = new MultiKeyStore() {
      @Override
      public Entry get(String key) {
        return inner.get(key);
      }

      @Override
      public Entry update(String key, java.util.function.UnaryOperator<Entry> change) {
        return inner.update(key, change);
      }

      @Override
      public synchronized List<Entry> getAll(List<String> keys) {
        calls.add("getAll " + keys);
        return keys.stream().map(inner::get).toList().stream().map(e -> e).collect(java.util.stream.Collectors.toList());
      }

      @Override
      public synchronized List<Entry> updateAll(List<String> keys, java.util.function.UnaryOperator<List<Entry>> change) {
        calls.add("updateAll " + keys);
        var current = new ArrayList<Entry>();
        for (String k : keys) current.add(inner.get(k));
        List<Entry> next = change.apply(java.util.Collections.unmodifiableList(current));
        for (int i = 0; i < keys.size(); i++) {
          Entry n = next.get(i);
          inner.update(keys.get(i), old -> n);
        }
        return next;
      }
    };
    try (var server = KvServer.start(ServerConfig.ephemeral(), store); var c = new RespClient(server.port())) {
      assertEquals("+OK\r\n", c.call("MSET", "a", "1", "b", "2"));
      assertEquals("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", c.call("MGET", "a", "b"));
      assertEquals(":2\r\n", c.call("DBSIZE"), "the server's index follows changes made through updateAll");
      assertEquals(List.of("updateAll [a, b]", "getAll [a, b]"), calls);
    }
  }
}
