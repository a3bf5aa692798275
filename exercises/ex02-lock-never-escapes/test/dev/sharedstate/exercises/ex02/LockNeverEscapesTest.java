package dev.sharedstate.exercises.ex02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DisplayName("ex02 lock never escapes")
@Exercise(id = "ex02-lock-never-escapes", chapter = "chapters/07-lock-across-a-blocking-call.md", starter = LoggedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockNeverEscapesTest {

  @Test
  @DisplayName("while the change log is slow to record one client's SET, other clients' GET and SET answer at once")
  void slowLogDoesNotStallOtherClients(ServerFactory factory) throws Exception {
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    LoggedStore.ChangeLog log = (key, now) -> {
      if (!key.equals("slow")) return;
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (KvServer server = factory.start(ServerConfig.ephemeral(), log);
        var slowClient = new Jedis("127.0.0.1", server.port(), 15_000);
        var fastClient = new Jedis("127.0.0.1", server.port(), 2_000)) {
      fastClient.set("fast", "here");
      var slowSet = CompletableFuture.supplyAsync(() -> slowClient.set("slow", "x"));
      assertTrue(entered.await(5, TimeUnit.SECONDS), "SET slow x never reached the change log");
      try {
        assertEquals("here", fastClient.get("fast"));
        assertEquals("OK", fastClient.set("other", "y"));
      } catch (JedisConnectionException e) {
        fail("client 1's SET slow was being written to a slow change log; client 2's GET fast / SET other"
            + " got no reply within 2 s: the store calls the change log while holding its lock");
      } finally {
        release.countDown();
      }
      assertEquals("OK", slowSet.get(5, TimeUnit.SECONDS), "SET slow x must reply OK once the log has it");
      assertEquals("x", fastClient.get("slow"));
    }
  }

  @Test
  @DisplayName("a change log that reads the store (through another connection) sees the new value and does not deadlock")
  void logMayReadTheStore(ServerFactory factory) throws Exception {
    var port = new CompletableFuture<Integer>();
    var seen = new AtomicReference<String>();
    var failure = new AtomicReference<Exception>();
    LoggedStore.ChangeLog log = (key, now) -> {
      if (!key.equals("k")) return;
      try (var reader = new Jedis("127.0.0.1", port.get(5, TimeUnit.SECONDS), 2_000)) {
        seen.set(reader.get("k"));
      } catch (Exception e) {
        failure.set(e);
      }
    };
    try (KvServer server = factory.start(ServerConfig.ephemeral(), log);
        var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
      port.complete(server.port());
      assertEquals("OK", j.set("k", "v"));
      if (failure.get() != null) {
        fail("SET k v called the change log; the log sent GET k on another connection and got no reply"
            + " within 2 s (" + failure.get() + "): the log ran while the store's lock was held, so the"
            + " GET waited for a lock that would only be released after the log returned");
      }
      assertEquals("v", seen.get(), "the change log for SET k v read k and must see the new value");
    }
  }

  @Test
  @DisplayName("20 clients send 50 INCR each: the counter ends at 1,000 and the log hears each value 1..1,000 once")
  void everyChangeIsLoggedOnce(ServerFactory factory) throws Exception {
    var logged = new ConcurrentLinkedQueue<Long>();
    var deleted = new ConcurrentLinkedQueue<String>();
    LoggedStore.ChangeLog log = (key, now) -> {
      if (now == null) deleted.add(key);
      else if (key.equals("counter")) logged.add(Long.parseLong(now.text()));
    };
    int clients = 20, incrs = 50;
    try (KvServer server = factory.start(ServerConfig.ephemeral(), log);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var go = new CountDownLatch(1);
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < clients; c++) {
        done.add(pool.submit(() -> {
          try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
            j.ping();
            go.await();
            Pipeline p = j.pipelined();
            for (int i = 0; i < incrs; i++) p.incr("counter");
            p.sync();
          }
          return null;
        }));
      }
      go.countDown();
      for (var f : done) f.get(15, TimeUnit.SECONDS);
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        assertEquals(String.valueOf(clients * incrs), j.get("counter"),
            "20 clients sent 1,000 INCR counter in all: increments were lost (is update still atomic?)");
        List<Long> values = new ArrayList<>(logged);
        values.sort(null);
        var expected = new ArrayList<Long>();
        for (long v = 1; v <= clients * incrs; v++) expected.add(v);
        assertEquals(expected, values, "the change log must hear every value the counter took, each exactly once");
        assertEquals(1L, j.del("counter"));
        assertEquals(List.of("counter"), List.copyOf(deleted), "DEL counter must be reported to the log (as null)");
        assertNull(j.get("counter"));
      }
    }
  }
}
