package dev.sharedstate.exercises.ex05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DisplayName("ex05 lock across blocking")
@Exercise(id = "ex05-lock-across-blocking", chapter = "chapters/07-lock-across-a-blocking-call.md", starter = SlowBackedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockAcrossBlockingTest {

  /** A backend whose loads complete only when the test says so. */
  static final class GatedBackend implements SlowBackedStore.Backend {
    final ConcurrentHashMap<String, CompletableFuture<Entry>> pending = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Entry> load(String key) {
      return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    void answer(String key, String value) {
      load(key).complete(value == null ? null : Entry.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    void awaitRequest(String key) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!pending.containsKey(key)) {
        if (System.nanoTime() > deadline) fail("GET " + key + " never asked the backend for " + key);
        Thread.sleep(5);
      }
    }
  }

  @Test
  @DisplayName("while one client waits for the slow backend, another client's GET of a key in memory answers at once")
  void otherClientsAreNotStalled(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), backend);
        var slowClient = new Jedis("127.0.0.1", server.port(), 10_000);
        var fastClient = new Jedis("127.0.0.1", server.port(), 2_000)) {
      fastClient.set("fast", "here");
      var slowGet = CompletableFuture.supplyAsync(() -> slowClient.get("slow"));
      backend.awaitRequest("slow");
      try {
        assertEquals("here", fastClient.get("fast"));
      } catch (JedisConnectionException e) {
        fail("client 2 sent GET fast (a key in memory) while client 1's GET slow waited for the backend,"
            + " and got no reply within 2 s: the store's lock is held while waiting for the backend");
      } finally {
        backend.answer("slow", "loaded");
      }
      assertEquals("loaded", slowGet.get(5, TimeUnit.SECONDS), "GET slow must return what the backend loaded");
    }
  }

  @Test
  @DisplayName("a value loaded from the backend is kept: the second GET does not ask the backend again")
  void loadedValueIsCached(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    backend.answer("k", "v1");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), backend);
        var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
      assertEquals("v1", j.get("k"));
      backend.pending.clear();
      backend.answer("k", "v2");
      assertEquals("v1", j.get("k"), "the second GET k went to the backend again instead of using the loaded value");
    }
  }

  @Test
  @DisplayName("a SET made while a load is in flight is not overwritten by the late backend answer")
  void writeDuringLoadWins(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), backend);
        var reader = new Jedis("127.0.0.1", server.port(), 10_000);
        var writer = new Jedis("127.0.0.1", server.port(), 2_000)) {
      var get = CompletableFuture.supplyAsync(() -> reader.get("k"));
      backend.awaitRequest("k");
      try {
        writer.set("k", "new");
      } catch (JedisConnectionException e) {
        fail("client 2's SET k got no reply within 2 s while client 1's GET k waited for the backend");
      } finally {
        backend.answer("k", "stale");
      }
      get.get(5, TimeUnit.SECONDS);
      assertEquals("new", writer.get("k"),
          "client 2 sent SET k new while a load of k was in flight; the old backend value replaced it");
    }
  }
}
