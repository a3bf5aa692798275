package dev.sharedstate.exercises.ex07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

@DisplayName("ex07 wait with the right lock")
@Exercise(id = "ex07-wait-with-the-right-lock", chapter = "chapters/05-blocking-and-async-locks.md", starter = LoadOnceStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaitWithTheRightLockTest {
  static final int REQUESTERS = 10;

  /**
   * A source that knows every key ("loaded:key"), counts its loads, holds a gated key's loads until the
   * test opens the gate, and fails a key's next load when told to.
   */
  static final class GatedSource implements LoadOnceStore.Source {
    final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    final Set<String> failNext = ConcurrentHashMap.newKeySet();

    @Override
    public Entry load(String key) throws Exception {
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      CountDownLatch gate = gates.get(key);
      if (gate != null && !gate.await(10, TimeUnit.SECONDS)) throw new IOException("the test never opened the gate");
      if (failNext.remove(key)) throw new IOException("source unavailable");
      return Entry.of(("loaded:" + key).getBytes(StandardCharsets.UTF_8));
    }

    void close(String key) {
      gates.put(key, new CountDownLatch(1));
    }

    void open(String key) {
      gates.get(key).countDown();
    }

    int calls(String key) {
      AtomicInteger n = calls.get(key);
      return n == null ? 0 : n.get();
    }

    /** Waits until {@code key} was loaded {@code n} times or {@code millis} passed; returns the count. */
    int awaitCalls(String key, int n, long millis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (calls(key) < n && System.nanoTime() < deadline) Thread.sleep(5);
      return calls(key);
    }

    void awaitFirstLoad(String key) throws InterruptedException {
      if (awaitCalls(key, 1, 5_000) == 0) fail("GET " + key + " never asked the source for " + key);
    }
  }

  /**
   * The {@code n}th key {@code prefix<i>} that a {@link ConcurrentHashMap} of up to 4,096 bins puts in
   * the same bin as {@code key} (same spread hash, low 12 bits): a load run inside {@code compute} or
   * {@code computeIfAbsent} for {@code key} holds that bin, so it blocks these keys too.
   */
  static String sameBinAs(String key, String prefix, int n) {
    int mask = (1 << 12) - 1;
    int target = spread(key.hashCode()) & mask;
    for (int i = 0, found = 0; ; i++) {
      String k = prefix + i;
      if ((spread(k.hashCode()) & mask) == target && found++ == n) return k;
    }
  }

  /** {@code ConcurrentHashMap.spread}. */
  private static int spread(int h) {
    return (h ^ (h >>> 16)) & 0x7fffffff;
  }

  private static Jedis client(KvServer server, int timeoutMillis) {
    return new Jedis("127.0.0.1", server.port(), timeoutMillis);
  }

  @Test
  @DisplayName("10 clients send GET k at once for a missing key: the source is asked exactly once and all 10 get its value")
  void oneLoadForManyRequesters(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), source);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var go = new CountDownLatch(1);
      var sent = new CountDownLatch(REQUESTERS);
      var replies = new ArrayList<Future<String>>();
      for (int c = 0; c < REQUESTERS; c++) {
        replies.add(pool.submit(() -> {
          try (var j = client(server, 10_000)) {
            j.ping();
            go.await();
            sent.countDown();
            return j.get("k");
          }
        }));
      }
      go.countDown();
      assertTrue(sent.await(5, TimeUnit.SECONDS), "the clients did not start");
      source.awaitFirstLoad("k");
      // Give every request time to reach the store while the first load is held: a store that loads once
      // per request shows it here. A correct store stays at one load however long this waits.
      source.awaitCalls("k", REQUESTERS, 1_000);
      source.open("k");
      for (var r : replies) {
        assertEquals("loaded:k", r.get(5, TimeUnit.SECONDS), "every client's GET k must return the loaded value");
      }
      int loads = source.calls("k");
      assertEquals(1, loads, REQUESTERS + " clients sent GET k while k was missing; the slow source was asked "
          + loads + " times instead of once: the first miss should load, the others wait for that load");
      try (var j = client(server, 5_000)) {
        assertEquals("loaded:k", j.get("k"));
        assertEquals(1, source.calls("k"), "a GET k after the load asked the source again instead of using the stored value");
      }
    }
  }

  @Test
  @DisplayName("while one key loads, GET and SET of other keys answer at once")
  void otherKeysAreNotBlocked(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("slow");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), source);
        var slowClient = client(server, 10_000);
        var waiter = client(server, 10_000);
        var fastClient = client(server, 2_000)) {
      fastClient.set("here", "in memory");
      var slowGet = CompletableFuture.supplyAsync(() -> slowClient.get("slow"));
      source.awaitFirstLoad("slow");
      var waitingGet = CompletableFuture.supplyAsync(() -> waiter.get("slow"));
      try {
        assertEquals("in memory", fastClient.get("here"), "GET of a key in memory");
        assertEquals("loaded:other", fastClient.get("other"), "GET of another missing key");
        assertEquals("OK", fastClient.set("x", "1"), "SET of another key");
        // Keys a ConcurrentHashMap keeps in the same bin as "slow": blocked if the load runs inside compute.
        String neighbour = sameBinAs("slow", "near:", 0);
        String neighbour2 = sameBinAs("slow", "near:", 1);
        assertEquals("loaded:" + neighbour, fastClient.get(neighbour), "GET of another missing key");
        assertEquals("OK", fastClient.set(neighbour2, "1"), "SET of another key");
      } catch (JedisConnectionException e) {
        fail("while client 1's GET slow waited for the slow source, client 3's GET/SET of other keys got no"
            + " reply within 2 s: a lock shared by several keys is held while loading one (one store-wide"
            + " lock, or a load run inside ConcurrentHashMap.compute/computeIfAbsent, which holds the key's bin)");
      } finally {
        source.open("slow");
      }
      assertEquals("loaded:slow", slowGet.get(5, TimeUnit.SECONDS));
      assertEquals("loaded:slow", waitingGet.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  @DisplayName("a failed load is not kept: the client gets an error, and the next GET loads again")
  void failedLoadIsRetried(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    source.failNext.add("k");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), source);
        var first = client(server, 10_000);
        var second = client(server, 10_000)) {
      var failing = CompletableFuture.supplyAsync(() -> first.get("k"));
      source.awaitFirstLoad("k");
      var alongside = CompletableFuture.supplyAsync(() -> second.get("k"));
      Thread.sleep(100); // let the second GET reach the store while the failing load is held
      source.open("k");
      try {
        String got = failing.get(5, TimeUnit.SECONDS);
        fail("the source failed to load k, yet GET k returned " + (got == null ? "nil" : "'" + got + "'")
            + " instead of an error");
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof JedisDataException, "expected an -ERR reply, got " + e.getCause());
      }
      try {
        // Waiting for the failed load may end in its error or in a fresh load; it must not hang.
        assertEquals("loaded:k", alongside.get(5, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof JedisDataException, "expected an -ERR reply, got " + e.getCause());
      }
      try (var j = client(server, 5_000)) {
        int before = source.calls("k");
        String got;
        try {
          got = j.get("k");
        } catch (JedisDataException e) {
          throw new AssertionError("after a failed load, the next GET k must try the source again; it got the old"
              + " failure again: " + e.getMessage() + " (a failed load was kept)", e);
        }
        assertEquals("loaded:k", got, "GET k after a failed load, with the source working again");
        assertTrue(source.calls("k") <= before + 1, "one GET k asked the source more than once");
      }
    }
  }

  @Test
  @DisplayName("a SET made while the key is loading wins over the value the slow source returns")
  void writeDuringLoadWins(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), source);
        var reader = client(server, 10_000);
        var writer = client(server, 2_000)) {
      var get = CompletableFuture.supplyAsync(() -> reader.get("k"));
      source.awaitFirstLoad("k");
      try {
        assertEquals("OK", writer.set("k", "new"));
      } catch (JedisConnectionException e) {
        fail("client 2's SET k got no reply within 2 s while client 1's GET k waited for the source");
      } finally {
        source.open("k");
      }
      get.get(5, TimeUnit.SECONDS);
      assertEquals("new", writer.get("k"),
          "client 2 sent SET k new while k was loading; the value from the source replaced it");
    }
  }
}
