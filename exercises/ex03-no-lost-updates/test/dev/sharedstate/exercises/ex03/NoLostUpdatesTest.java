package dev.sharedstate.exercises.ex03;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

@DisplayName("ex03 no lost updates")
@Exercise(id = "ex03-no-lost-updates", chapter = "chapters/06-contention-and-sharding.md", starter = NoLostUpdates.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoLostUpdatesTest {
  static final int CLIENTS = 50;
  static final int INCRS = 400;
  /** The key of the forced schedule. */
  static final String KEY = "visits:home";

  /** Keys whose hashCode is Integer.MIN_VALUE, negative, 0 (the empty key) and positive: a store keyed by hash must take them all. */
  static List<String> keysOfEveryHash() {
    String negative = null;
    for (int i = 0; negative == null; i++) if (("key:" + i).hashCode() < 0) negative = "key:" + i;
    return List.of("polygenelubricants", negative, "", "a", "counter");
  }

  @Test
  @Order(0)
  @DisplayName("every key works, whatever its hashCode (negative, Integer.MIN_VALUE, the empty key): SET, INCR, GET and DEL")
  void everyKeyWorks(ServerFactory factory) {
    Store store = factory.newInstance(Store.class);
    for (String key : keysOfEveryHash()) {
      String shown = key.isEmpty() ? "\"\" (the empty key)" : key + " (hashCode " + key.hashCode() + ")";
      try {
        // Each command brings its key as a new String, as the server reads it: equal, not the same object.
        store.update(new String(key), e -> Entry.of("1".getBytes(StandardCharsets.UTF_8)));
        Entry got = store.update(new String(key), e -> Entry.of(String.valueOf(Long.parseLong(e.text()) + 1)
            .getBytes(StandardCharsets.UTF_8)));
        assertEquals("2", got == null ? null : got.text(), "SET " + shown + " 1, then INCR it");
        Entry read = store.get(new String(key));
        assertEquals("2", read == null ? null : read.text(), "SET " + shown + " 1, INCR it, then GET it");
        store.update(new String(key), e -> null);
        assertNull(store.get(new String(key)), "DEL " + shown + ", then GET it");
      } catch (RuntimeException e) {
        throw new AssertionError("SET, INCR, GET or DEL of the key " + shown + " threw " + e
            + ": every key must work (is a lock or stripe picked with hashCode() % n, negative for half the keys?)", e);
      }
    }
  }

  @Test
  @Order(3)
  @DisplayName("50 clients each send INCR counter 400 times at once: the counter ends at exactly 20,000")
  void noLostIncrements(ServerFactory factory) throws Exception {
    try (KvServer server = factory.start(ServerConfig.ephemeral())) {
      Clients.run(CLIENTS, Duration.ofSeconds(15), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
          j.ping();
          ready.run();
          // Pipelined in small batches: many INCRs in flight on every connection at once.
          for (int sent = 0; sent < INCRS; sent += 20) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 20; i++) p.incr("counter");
            p.sync();
          }
        }
      });
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        long got = Long.parseLong(j.get("counter"));
        assertEquals((long) CLIENTS * INCRS, got,
            "50 clients sent 20,000 INCR counter in all; GET counter then returned " + got + ": "
                + ((long) CLIENTS * INCRS - got) + " increments were lost (two clients read the same old value)");
      }
    }
  }

  @Test
  @Order(2)
  @DisplayName("races: Lincheck tries the interleavings of concurrent GET, SET, INCR and DEL on the store")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizable(ServerFactory factory) {
    StoreCheck.of("your store", () -> factory.newInstance(Store.class))
        .learnerClass(factory.targetClass())
        .twoIncrs()
        .writesWhileReading()
        .randomScenarios(1)
        .invocations(20)
        .check();
  }

  @Test
  @Order(1)
  @DisplayName("two INCRs of one key at the same moment: the second must see the first's result")
  void updateIsAtomic(ServerFactory factory) throws Exception {
    // The load test above catches lost updates only when the scheduler happens to interleave two clients.
    // This forces the interleaving: the first update pauses between reading and writing, and stays paused
    // until the second has either finished or is waiting (parked on a lock). An atomic update keeps the
    // second out until the first is done; an optimistic one lets it finish and then retries the first.
    // Each update gets its own String for the key, as each client request parses its own: equal, not the
    // same object (a lock on the String object itself would not be shared by two requests).
    // A key like a client's (its hashCode far from 0: nothing about it is shared by accident, such as a small
    // boxed Integer that Integer.valueOf caches).
    Store store = factory.newInstance(Store.class);
    String firstKey = new String(KEY);
    String secondKey = new String(KEY);
    var firstHasRead = new CountDownLatch(1);
    var releaseFirst = new CountDownLatch(1);
    var secondDone = new AtomicBoolean();
    var failure = new AtomicReference<Throwable>();
    Thread first = Thread.ofPlatform().daemon().name("incr-1").start(() -> {
      try {
        store.update(firstKey, old -> {
          firstHasRead.countDown();
          try {
            releaseFirst.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return plusOne(old);
        });
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    });
    Await.Outcome second;
    Thread secondThread = null;
    try {
      assertTrue(firstHasRead.await(5, TimeUnit.SECONDS), "the first INCR " + KEY + " never called its change function");
      secondThread = Thread.ofPlatform().daemon().name("incr-2").start(() -> {
        try {
          store.update(secondKey, NoLostUpdatesTest::plusOne);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          secondDone.set(true);
        }
      });
      second = Await.parkedOrDone(secondThread, secondDone::get, Duration.ofSeconds(5));
    } finally {
      releaseFirst.countDown();
    }
    first.join(5_000);
    secondThread.join(5_000);
    if (failure.get() != null) throw new AssertionError("INCR " + KEY + " threw " + failure.get(), failure.get());
    assertTrue(!first.isAlive() && !secondThread.isAlive(), "the two INCR " + KEY + " did not both return within 5 s"
        + " once the first was let go");
    Entry n = store.get(KEY);
    String got = n == null ? "(nothing)" : new String(n.value(), StandardCharsets.US_ASCII);
    String why = second == Await.Outcome.DONE
        ? "The second INCR ran and returned while the first was paused between its read and its write, then the"
            + " first wrote what it had computed from its old read: the two did not exclude each other (does update"
            + " lock something two requests for one key do not share, such as the key's String object?)"
        : "The second INCR read " + KEY + " while the first was between its read and its write.";
    assertEquals("2", got, "two clients each sent INCR " + KEY + " once (each request with its own String \"" + KEY + "\"); GET " + KEY + " then"
        + " returned " + got + ": one increment was lost. " + why);
  }

  private static Entry plusOne(Entry old) {
    long n = old == null ? 0 : Long.parseLong(new String(old.value(), StandardCharsets.US_ASCII));
    return Entry.of(Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII));
  }
}
