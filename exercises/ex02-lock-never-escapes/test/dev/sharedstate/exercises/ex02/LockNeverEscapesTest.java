package dev.sharedstate.exercises.ex02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.LockProbe;
import dev.sharedstate.exercises.grading.MapGuard;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

@DisplayName("ex02 lock never escapes")
@Exercise(id = "ex02-lock-never-escapes", chapter = "chapters/07-lock-across-a-blocking-call.md", starter = LoggedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockNeverEscapesTest {

  private static Entry value(String s) {
    return Entry.of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A change log that records what it hears, as "key=value" ("key=nil" for a removal). */
  static final class Recorder implements LoggedStore.ChangeLog {
    final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();

    @Override
    public void changed(String key, Entry now) {
      heard.add(key + "=" + (now == null ? "nil" : now.text()));
    }
  }

  @Test
  @Order(1)
  @DisplayName("while the change log is busy with one update, another thread's GET and update of other keys go on")
  void logRunsWithoutTheLock(ServerFactory factory) throws Exception {
    logRunsWithoutTheLock(factory, "SET slow x", e -> value("x"), "x");
    // A removal too: the path that removes the key may be a separate branch of update, with its own return.
    logRunsWithoutTheLock(factory, "DEL slow", e -> null, null);
  }

  /** Forced schedule: the log blocks on {@code change} of "slow" (made after SET slow before) until the test opens the gate. */
  private static void logRunsWithoutTheLock(ServerFactory factory, String command, UnaryOperator<Entry> change, String after)
      throws Exception {
    var armed = new AtomicBoolean();
    var entered = new CountDownLatch(1);
    var gate = new CountDownLatch(1);
    LoggedStore.ChangeLog log = (key, now) -> {
      if (!key.equals("slow") || !armed.get()) return;
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Store store = factory.newInstance(Store.class, log);
    store.update("fast", e -> value("here"));
    store.update("slow", e -> value("before"));
    armed.set(true);
    var failure = new AtomicReference<Throwable>();
    Thread slow = Thread.ofPlatform().daemon().name("client-1-" + command.replace(' ', '-')).start(() -> {
      try {
        store.update("slow", change);
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    try {
      if (!entered.await(5, TimeUnit.SECONDS)) {
        fail(command + " never called the change log" + (failure.get() != null ? ": it threw " + failure.get() : ""));
      }
      var done = new AtomicBoolean();
      var got = new AtomicReference<Entry>();
      Thread other = Thread.ofPlatform().daemon().name("client-2").start(() -> {
        got.set(store.get("fast"));
        store.update("other", e -> value("y"));
        done.set(true);
      });
      Await.Outcome o = Await.parkedOrDone(other, done::get, Duration.ofSeconds(3));
      assertEquals(Await.Outcome.DONE, o, "while the change log was busy recording client 1's " + command + ", client 2's"
          + " GET fast and SET other waited: the store calls the log while holding its lock, so one slow log"
          + " stalls every client. Tell the log after unlock(), on every path of update.");
      assertEquals("here", got.get() == null ? null : got.get().text(), "GET fast");
    } finally {
      gate.countDown();
    }
    slow.join(5_000);
    if (failure.get() != null) throw new AssertionError(command + " threw", failure.get());
    Entry now = store.get("slow");
    assertEquals(after, now == null ? null : now.text(), "GET slow after the log of " + command + " returned");
  }

  @Test
  @Order(2)
  @DisplayName("a change log that reads the store (through another connection) sees the new value and does not deadlock")
  void logMayReadTheStore(ServerFactory factory) throws Exception {
    var port = new java.util.concurrent.CompletableFuture<Integer>();
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
  @Order(4)
  @DisplayName("races: Lincheck tries the interleavings of concurrent updates and checks each is logged once, with its own result")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizableAndLoggedOnce(ServerFactory factory) {
    StoreCheck.ofSubjects("your store", () -> {
      var recorder = new Recorder();
      Store store = factory.newInstance(Store.class, recorder);
      return new StoreCheck.Subject() {
        @Override
        public Store store() {
          return store;
        }

        @Override
        public String check(List<StoreCheck.Update> updates) {
          Map<String, Integer> expected = new HashMap<>();
          for (var u : updates) expected.merge(u.key() + "=" + (u.result() == null ? "nil" : u.result()), 1, Integer::sum);
          Map<String, Integer> heard = new HashMap<>();
          for (String h : recorder.heard) heard.merge(h, 1, Integer::sum);
          if (!expected.equals(heard)) {
            return "the updates returned " + sorted(expected) + ", but the change log heard " + sorted(heard)
                + ": every change must be logged exactly once, with the entry that update returned (log the result"
                + " you got under the lock; do not read the map again after unlock())";
          }
          return null;
        }
      };
    }).learnerClass(factory.targetClass())
        .keys("a", "b")
        .scenario(Scenario.named("two INCR of one key").thread("incr a").thread("incr a").invocations(60))
        .scenario(Scenario.named("INCR and SET, DEL of one key at once").before("set a 1")
            .thread("incr a", "del a").thread("set a 3", "incr a").after("get a"))
        .randomScenarios(1)
        .invocations(20)
        .check();
  }

  @Test
  @Order(3)
  @DisplayName("a GET waits while another thread holds the store's lock (the map is never read without it)")
  void readsTakeTheLock(ServerFactory factory) throws Exception {
    Store store = factory.newInstance(Store.class, (LoggedStore.ChangeLog) (k, v) -> {});
    store.update("k", e -> value("v"));
    assertNotEquals(LockProbe.Result.READ_WITHOUT_LOCK, LockProbe.readWhileLocked(store, () -> store.get("k")),
        "while the test held your store's lock, another thread's GET k answered at once: get reads the HashMap"
            + " without the lock, and may see it half changed. Only the logging moves out of the lock.");
    // Call by call: a read that skips the lock only while no writer holds it (an optimistic read) waits
    // under the probe above, yet reads the HashMap unlocked whenever it does not.
    MapGuard.unguardedStoreRead(factory.newInstance(Store.class, (LoggedStore.ChangeLog) (k, v) -> {}), "k")
        .ifPresent(Assertions::fail);
  }

  @Test
  @Order(5)
  @DisplayName("20 clients send 50 INCR each: the counter ends at 1,000 and the log hears each value 1..1,000 once")
  void everyChangeIsLoggedOnce(ServerFactory factory) throws Exception {
    var logged = new ConcurrentLinkedQueue<Long>();
    var deleted = new ConcurrentLinkedQueue<String>();
    LoggedStore.ChangeLog log = (key, now) -> {
      if (now == null) deleted.add(key);
      else if (key.equals("counter")) logged.add(Long.parseLong(now.text()));
    };
    int clients = 20, incrs = 50;
    try (KvServer server = factory.start(ServerConfig.ephemeral(), log)) {
      Clients.run(clients, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
          j.ping();
          ready.run();
          Pipeline p = j.pipelined();
          for (int i = 0; i < incrs; i++) p.incr("counter");
          p.sync();
        }
      });
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        assertEquals(String.valueOf(clients * incrs), j.get("counter"),
            "20 clients sent 1,000 INCR counter in all: increments were lost (is update still atomic?)");
        List<Long> values = new ArrayList<>(logged);
        values.sort(null);
        var expected = new ArrayList<Long>();
        for (long v = 1; v <= clients * incrs; v++) expected.add(v);
        assertTrue(expected.equals(values), "the change log must hear every value the counter took (1 to 1,000),"
            + " each exactly once; it heard " + values.size() + " values"
            + (values.isEmpty() ? "" : ", from " + values.get(0) + " to " + values.get(values.size() - 1)));
        assertEquals(1L, j.del("counter"));
        assertEquals(List.of("counter"), List.copyOf(deleted), "DEL counter must be reported to the log (as null)");
        assertNull(j.get("counter"));
      }
    }
  }

  private static String sorted(Map<String, Integer> m) {
    var parts = new ArrayList<String>();
    m.forEach((k, n) -> parts.add(k + (n > 1 ? " (x" + n + ")" : "")));
    parts.sort(null);
    return parts.toString();
  }
}
