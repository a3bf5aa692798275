package dev.sharedstate.exercises.ex05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.LockProbe;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DisplayName("ex05 lock across blocking")
@Exercise(id = "ex05-lock-across-blocking", chapter = "chapters/07-lock-across-a-blocking-call.md", starter = SlowBackedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockAcrossBlockingTest {

  /** A backend whose loads complete only when the test says so. */
  static final class GatedBackend implements SlowBackedStore.Backend {
    final ConcurrentHashMap<String, CompletableFuture<Entry>> pending = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Integer> asked = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Entry> load(String key) {
      asked.merge(key, 1, Integer::sum);
      return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    void answer(String key, String value) {
      pending.computeIfAbsent(key, k -> new CompletableFuture<>())
          .complete(value == null ? null : Entry.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    boolean wasAsked(String key) {
      return asked.containsKey(key);
    }

    void awaitRequest(String key) {
      if (!Await.until(() -> wasAsked(key), Duration.ofSeconds(5))) fail("GET " + key + " never asked the backend for " + key);
    }
  }

  /** A store call running on its own thread (a client's), whose result or exception the test reads later. */
  static final class Call<T> {
    final AtomicReference<T> result = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean done = new AtomicBoolean();
    final Thread thread;

    Call(String name, Supplier<T> body) {
      thread = Thread.ofPlatform().daemon().name(name).start(() -> {
        try {
          result.set(body.get());
        } catch (Throwable t) {
          failure.set(t);
        } finally {
          done.set(true);
        }
      });
    }

    T get(String what) throws InterruptedException {
      thread.join(5_000);
      if (failure.get() != null) throw new AssertionError(what + " threw " + failure.get(), failure.get());
      if (!done.get()) fail(what + " did not return within 5 s of the backend's answer");
      return result.get();
    }
  }

  private static Entry value(String s) {
    return Entry.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Entry e) {
    return e == null ? null : e.text();
  }

  @Test
  @Order(1)
  @DisplayName("while one GET waits for the slow backend, a GET of a key in memory, a SET, and a miss of another key go on")
  void nothingWaitsBehindALoad(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    Store store = factory.newInstance(Store.class, backend);
    store.update("fast", e -> value("here"));
    var slow = new Call<>("client-1-GET-slow", () -> text(store.get("slow")));
    backend.awaitRequest("slow");
    try {
      var fast = new Call<>("client-2", () -> {
        String got = text(store.get("fast"));
        store.update("other", e -> value("y"));
        return got;
      });
      assertEquals(Await.Outcome.DONE, Await.parkedOrDone(fast.thread, fast.done::get, Duration.ofSeconds(3)),
          "while client 1's GET slow waited for the backend, client 2's GET fast (a key in memory) and SET other"
              + " waited too: the store's lock is held while waiting for the backend");
      assertEquals("here", fast.get("GET fast"));
      var miss = new Call<>("client-3-GET-slow2", () -> text(store.get("slow2")));
      if (!Await.until(() -> backend.wasAsked("slow2"), Duration.ofSeconds(3))) {
        fail("while client 1's GET slow waited for the backend, client 3's GET slow2 (another missing key) did not"
            + " even reach the backend: it waits behind client 1's load (is a lock held while waiting?)");
      }
      backend.answer("slow2", "two");
      assertEquals("two", miss.get("GET slow2"));
    } finally {
      backend.answer("slow", "loaded");
    }
    assertEquals("loaded", slow.get("GET slow"), "GET slow must return what the backend loaded");
  }

  @Test
  @Order(2)
  @DisplayName("a SET made while a load of the key is in flight wins over the backend's late answer")
  void setDuringLoadWins(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    Store store = factory.newInstance(Store.class, backend);
    var get = new Call<>("client-1-GET-k", () -> text(store.get("k")));
    backend.awaitRequest("k");
    var set = new Call<>("client-2-SET-k", () -> text(store.update("k", e -> value("new"))));
    try {
      assertEquals(Await.Outcome.DONE, Await.parkedOrDone(set.thread, set.done::get, Duration.ofSeconds(3)),
          "client 2's SET k waited while client 1's GET k waited for the backend");
    } finally {
      backend.answer("k", "stale");
    }
    get.get("GET k");
    assertEquals("new", text(store.get("k")),
        "client 2 sent SET k new while a load of k was in flight; the backend's late answer replaced it");
  }

  @Test
  @Order(3)
  @DisplayName("a DEL made while a load of the key is in flight wins too: the key stays deleted")
  void delDuringLoadWins(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    Store store = factory.newInstance(Store.class, backend);
    var get = new Call<>("client-1-GET-k", () -> text(store.get("k")));
    backend.awaitRequest("k");
    try {
      var write = new Call<>("client-2-SET-then-DEL-k", () -> {
        store.update("k", e -> value("new"));
        return text(store.update("k", e -> null));
      });
      assertEquals(Await.Outcome.DONE, Await.parkedOrDone(write.thread, write.done::get, Duration.ofSeconds(3)),
          "client 2's SET k and DEL k waited while client 1's GET k waited for the backend");
    } finally {
      backend.answer("k", "stale");
    }
    get.get("GET k");
    assertNull(text(store.get("k")), "client 2 sent SET k new, then DEL k, while a load of k was in flight; a"
        + " later GET k returned the backend's late answer: the deleted key came back (a write made during a"
        + " load wins, a DEL included: the README says how to remember a deletion)");
  }

  @Test
  @Order(4)
  @DisplayName("a loaded value is kept, a deleted key is not loaded again, and an empty value is not a deletion")
  void loadedValueIsKept(ServerFactory factory) {
    var backend = new GatedBackend();
    backend.answer("k", "v1");
    Store store = factory.newInstance(Store.class, backend);
    assertEquals("v1", text(store.get("k")));
    backend.pending.clear();
    backend.answer("k", "v2");
    assertEquals("v1", text(store.get("k")), "the second GET k went to the backend again instead of using the loaded value");
    store.update("k", e -> null);
    assertNull(text(store.get("k")), "DEL k, then GET k: the deleted key was loaded from the backend again");
    // An empty value is a value: only the tombstone itself (compared with ==) means deleted.
    store.update("empty", e -> value(""));
    assertEquals("", text(store.get("empty")), "SET empty \"\", then GET empty: an empty value read as deleted"
        + " (is the tombstone recognised with equals()? Entry compares contents: compare with ==)");
    backend.answer("loaded-empty", "");
    assertEquals("", text(store.get("loaded-empty")), "GET of a key the backend holds as \"\": an empty value read as"
        + " deleted (is the tombstone recognised with equals()? compare with ==)");
  }

  @Test
  @Order(5)
  @DisplayName("a GET waits while another thread holds the store's lock (the cache is never read without it)")
  void readsTakeTheLock(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    backend.answer("k", "v");
    Store store = factory.newInstance(Store.class, backend);
    store.get("k");
    assertNotEquals(LockProbe.Result.READ_WITHOUT_LOCK, LockProbe.readWhileLocked(store, () -> store.get("k")),
        "while the test held your store's lock, another thread's GET k (a key in memory) answered at once: a fast"
            + " path reads the HashMap without the lock, and may see it half changed. Release the lock only"
            + " around the wait.");
  }

  @Test
  @Order(6)
  @DisplayName("races: Lincheck tries the interleavings of GETs that load with SET, INCR and DEL of the same keys")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizable(ServerFactory factory) {
    Map<String, String> inBackend = Map.of("a", "10", "b", "20");
    SlowBackedStore.Backend backend = key -> CompletableFuture.completedFuture(
        inBackend.containsKey(key) ? value(inBackend.get(key)) : null);
    StoreCheck.of("your store", () -> factory.newInstance(Store.class, backend))
        .learnerClass(factory.targetClass())
        .backend(inBackend)
        .twoIncrs()
        .scenario(Scenario.named("GET a (loads it) while another client sets it").thread("get a").thread("set a 2")
            .after("get a"))
        .scenario(Scenario.named("GET a (loads it) while another client deletes it").thread("get a").thread("del a")
            .after("get a"))
        .scenario(Scenario.named("GET a (loads it) while another client increments it").thread("get a")
            .thread("incr a").after("get a"))
        .scenario(Scenario.named("GETs that load while SETs of other keys").thread("get a", "set b 3")
            .thread("get b", "set a 4").after("get b"))
        .invocations(20)
        .check();
  }

  @Test
  @Order(7)
  @DisplayName("through the server: while one client waits for the slow backend, another client's GET of a key in memory answers")
  void otherClientsAreNotStalled(ServerFactory factory) throws Exception {
    var backend = new GatedBackend();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), backend);
        var slowClient = new Jedis("127.0.0.1", server.port(), 10_000);
        var fastClient = new Jedis("127.0.0.1", server.port(), 2_000)) {
      fastClient.set("fast", "here");
      var slowGet = new Call<>("client-1", () -> slowClient.get("slow"));
      backend.awaitRequest("slow");
      try {
        assertEquals("here", fastClient.get("fast"));
      } catch (JedisConnectionException e) {
        fail("client 2 sent GET fast (a key in memory) while client 1's GET slow waited for the backend,"
            + " and got no reply within 2 s: the store's lock is held while waiting for the backend");
      } finally {
        backend.answer("slow", "loaded");
      }
      assertEquals("loaded", slowGet.get("GET slow"), "GET slow must return what the backend loaded");
    }
  }
}
