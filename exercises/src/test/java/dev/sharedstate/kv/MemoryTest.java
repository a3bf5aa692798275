package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 15, item 2: memory held for nothing, the memory limit, and active expiry. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemoryTest {

  /** Remembers, weakly, the value arrays stored under "big". */
  static final class WatchingStore implements Store {
    final MapStore map = new MapStore();
    volatile WeakReference<byte[]> big = new WeakReference<>(null);

    @Override
    public Entry get(String key) {
      return map.get(key);
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      Entry e = map.update(key, change);
      if (key.equals("big") && e != null) big = new WeakReference<>(e.value());
      return e;
    }
  }

  @Test
  @DisplayName("an idle connection does not keep its last request's value alive after the key is deleted")
  void idleConnectionKeepsNoArguments() throws Exception {
    var store = new WatchingStore();
    try (var server = KvServer.start(ServerConfig.ephemeral(), store);
        var setter = new RespClient(server.port());
        var deleter = new RespClient(server.port())) {
      setter.send(RespClient.request(java.util.List.of("SET".getBytes(), "big".getBytes(), new byte[8 * 1024 * 1024])));
      assertEquals("+OK\r\n", setter.readReply());
      assertEquals(":1\r\n", deleter.call("DEL", "big"));
      // The setter's connection stays open and idle. Nothing should hold the 8 MB value now.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (store.big.get() != null && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(50);
      }
      assertNull(store.big.get(), "the deleted value is still reachable: a connection kept its request's arguments");
    }
  }

  @Test
  @DisplayName("over maxmemory, writes that add data get Redis's -OOM error; reads and deletes still work")
  void maxMemory() throws Exception {
    try (var server = KvServer.start(ServerConfig.ephemeral().withMaxMemory(20_000), new MapStore());
        var c = new RespClient(server.port())) {
      String value = "x".repeat(1000);
      int stored = 0;
      String reply;
      while ((reply = c.call("SET", "k" + stored, value)).equals("+OK\r\n")) stored++;
      assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", reply);
      assertTrue(stored >= 10 && stored <= 20, "stored " + stored + " values of 1000 bytes under a 20,000-byte limit");
      assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", c.call("LPUSH", "l", "x"));
      assertEquals("$1000\r\n" + value + "\r\n", c.call("GET", "k0"));
      assertEquals(":1\r\n", c.call("DEL", "k0"));
      assertEquals(":1\r\n", c.call("DEL", "k1"));
      assertEquals("+OK\r\n", c.call("SET", "again", "v"), "deleting must make room again");
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", "0"));
      assertEquals("+OK\r\n", c.call("SET", "unlimited", value));
    }
  }

  @Test
  @DisplayName("expired keys leave without being read: active expiry samples them, as Redis does")
  void activeExpiry() throws Exception {
    var clock = new AtomicLong(1_000_000);
    var store = new MapStore();
    try (var server = KvServer.start(ServerConfig.ephemeral().withClock(clock::get), store);
        var c = new RespClient(server.port())) {
      for (int i = 0; i < 200; i++) c.call("SET", "t" + i, "v", "PX", "1000");
      c.call("SET", "forever", "v");
      assertEquals(":201\r\n", c.call("DBSIZE"));
      clock.addAndGet(1_001);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (c.call("DBSIZE").equals(":1\r\n") == false && System.nanoTime() < deadline) Thread.sleep(50);
      assertEquals(":1\r\n", c.call("DBSIZE"));
      for (int i = 0; i < 200; i++) assertNull(store.get("t" + i), "t" + i + " is still in the store");
      assertTrue(store.get("forever") != null);
    }
  }
}
