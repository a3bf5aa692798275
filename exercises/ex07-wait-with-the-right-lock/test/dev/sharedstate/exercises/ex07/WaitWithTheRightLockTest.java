package dev.sharedstate.exercises.ex07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.MapGuard;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

@DisplayName("ex07 wait with the right lock")
@Exercise(id = "ex07-wait-with-the-right-lock", chapter = "chapters/05-blocking-and-async-locks.md", starter = LoadOnceStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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

    void awaitFirstLoad(String key) {
      if (!Await.until(() -> calls(key) >= 1, Duration.ofSeconds(5))) fail("GET " + key + " never asked the source for " + key);
    }
  }

  /** A store call running on its own thread (a client's). */
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

    boolean await(Duration limit) throws InterruptedException {
      thread.join(limit.toMillis());
      return done.get();
    }

    T get(String what) throws InterruptedException {
      if (!await(Duration.ofSeconds(5))) fail(what + " did not return within 5 s");
      if (failure.get() != null) throw new AssertionError(what + " threw " + failure.get(), failure.get());
      return result.get();
    }
  }

  private static String text(Entry e) {
    return e == null ? null : e.text();
  }

  /**
   * The {@code n}th key {@code prefix<i>} that a {@link ConcurrentHashMap} of up to 4,096 bins puts in
   * the same bin as {@code key}: a load run inside {@code compute} or {@code computeIfAbsent} for {@code
   * key} holds that bin, so it blocks these keys too.
   */
  static String sameBinAs(String key, String prefix, int n) {
    int mask = (1 << 12) - 1;
    int target = spread(key.hashCode()) & mask;
    for (int i = 0, found = 0; ; i++) {
      String k = prefix + i;
      if ((spread(k.hashCode()) & mask) == target && found++ == n) return k;
    }
  }

  private static int spread(int h) {
    return (h ^ (h >>> 16)) & 0x7fffffff;
  }

  @Test
  @Order(1)
  @DisplayName("10 threads GET a missing key at once: the source is asked exactly once and all 10 get its value")
  void oneLoadForManyRequesters(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    Store store = factory.newInstance(Store.class, source);
    var calls = new ArrayList<Call<String>>();
    try {
      for (int i = 0; i < REQUESTERS; i++) calls.add(new Call<>("client-" + (i + 1) + "-GET-k", () -> text(store.get("k"))));
      source.awaitFirstLoad("k");
      // Every requester either waits (for the one load, or inside a load of its own) or is done.
      for (Call<String> c : calls) Await.parkedOrDone(c.thread, c.done::get, Duration.ofSeconds(3));
    } finally {
      source.open("k");
    }
    for (Call<String> c : calls) assertEquals("loaded:k", c.get("GET k"), "every client's GET k must return the loaded value");
    int loads = source.calls("k");
    assertEquals(1, loads, REQUESTERS + " clients sent GET k while k was missing; the slow source was asked " + loads
        + " times instead of once: the first miss should load, the others wait for that load");
    assertEquals("loaded:k", text(store.get("k")));
    assertEquals(1, source.calls("k"), "a GET k after the load asked the source again instead of using the stored value");
  }

  @Test
  @Order(2)
  @DisplayName("while one key loads, GET and SET of other keys (missing ones, and ones a ConcurrentHashMap keeps next to it) go on")
  void otherKeysAreNotBlocked(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("slow");
    Store store = factory.newInstance(Store.class, source);
    store.update("here", e -> Entry.of("in memory".getBytes(StandardCharsets.UTF_8)));
    var slow = new Call<>("client-1-GET-slow", () -> text(store.get("slow")));
    source.awaitFirstLoad("slow");
    var waiting = new Call<>("client-2-GET-slow", () -> text(store.get("slow")));
    try {
      String neighbour = sameBinAs("slow", "near:", 0);
      String neighbour2 = sameBinAs("slow", "near:", 1);
      var others = new Call<>("client-3-other-keys", () -> {
        List<String> got = new ArrayList<>();
        got.add(text(store.get("here")));
        got.add(text(store.get("other")));
        store.update("x", e -> Entry.of("1".getBytes(StandardCharsets.UTF_8)));
        got.add(text(store.get(neighbour)));
        store.update(neighbour2, e -> Entry.of("1".getBytes(StandardCharsets.UTF_8)));
        return String.join(",", got);
      });
      assertEquals(Await.Outcome.DONE, Await.parkedOrDone(others.thread, others.done::get, Duration.ofSeconds(3)),
          "while client 1's GET slow waited for the slow source, client 3's GET/SET of other keys waited too: a lock"
              + " shared by several keys is held while loading one (one store-wide lock, or a load run inside"
              + " ConcurrentHashMap.compute/computeIfAbsent, which holds the bin of '" + neighbour + "' too)");
      assertEquals("in memory,loaded:other,loaded:" + neighbour, others.get("GET here, GET other, GET " + neighbour));
    } finally {
      source.open("slow");
    }
    assertEquals("loaded:slow", slow.get("client 1's GET slow"));
    assertEquals("loaded:slow", waiting.get("client 2's GET slow"));
  }

  @Test
  @Order(3)
  @DisplayName("a failed load reaches every requester waiting for it (no hang), and is not kept: the next GET loads again")
  void failedLoadReachesWaitersAndIsNotKept(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    source.failNext.add("k");
    Store store = factory.newInstance(Store.class, source);
    var first = new Call<>("client-1-GET-k", () -> text(store.get("k")));
    var second = (Call<String>) null;
    try {
      source.awaitFirstLoad("k");
      second = new Call<>("client-2-GET-k", () -> text(store.get("k")));
      Await.parkedOrDone(second.thread, second.done::get, Duration.ofSeconds(2));
    } finally {
      source.open("k");
    }
    assertTrue(first.await(Duration.ofSeconds(3)), "client 1's GET k did not return within 3 s of its load failing");
    assertTrue(first.failure.get() instanceof StoreException, "the source failed to load k; client 1's GET k must fail"
        + " with a StoreException (the client sees -ERR), not " + (first.failure.get() != null ? first.failure.get()
        : "return " + first.result.get()));
    assertTrue(second.await(Duration.ofSeconds(3)), "client 2's GET k, waiting for the same load, still waited 3 s"
        + " after that load failed: the failure never reached it (complete the future exceptionally)");
    if (second.failure.get() == null) {
      assertEquals("loaded:k", second.result.get(), "client 2 waited for a load that failed: it must get that failure,"
          + " or the value of a fresh load of its own, not " + second.result.get());
    } else {
      assertTrue(second.failure.get() instanceof StoreException, "client 2 must get a StoreException, not " + second.failure.get());
    }
    int before = source.calls("k");
    String got;
    try {
      got = text(store.get("k"));
    } catch (StoreException e) {
      throw new AssertionError("after a failed load, the next GET k must try the source again; it got the old"
          + " failure again: " + e.getMessage() + " (a failed load was kept)", e);
    }
    assertEquals("loaded:k", got, "GET k after a failed load, with the source working again");
    assertTrue(source.calls("k") <= before + 1, "one GET k asked the source more than once");
  }

  @Test
  @Order(4)
  @DisplayName("a SET, or a DEL, made while the key is loading wins over the value the slow source returns")
  void writeDuringLoadWins(ServerFactory factory) throws Exception {
    for (String write : List.of("SET", "DEL")) {
      var source = new GatedSource();
      source.close("k");
      Store store = factory.newInstance(Store.class, source);
      var get = new Call<>("client-1-GET-k", () -> text(store.get("k")));
      source.awaitFirstLoad("k");
      try {
        var w = new Call<>("client-2-" + write, () -> {
          store.update("k", e -> Entry.of("new".getBytes(StandardCharsets.UTF_8)));
          if (write.equals("DEL")) store.update("k", e -> null);
          return null;
        });
        assertEquals(Await.Outcome.DONE, Await.parkedOrDone(w.thread, w.done::get, Duration.ofSeconds(3)),
            "client 2's " + write + " k waited while client 1's GET k waited for the source");
      } finally {
        source.open("k");
      }
      get.get("GET k");
      if (write.equals("SET")) {
        assertEquals("new", text(store.get("k")), "client 2 sent SET k new while k was loading; the value from the source replaced it");
      } else {
        assertNull(text(store.get("k")), "client 2 sent SET k new then DEL k while k was loading; GET k afterwards returned"
            + " the source's value: the deleted key came back (a DEL during a load wins too: see the README)");
      }
    }
  }

  @Test
  @Order(5)
  @DisplayName("races: Lincheck tries the interleavings of GETs that load with each other and with SET, INCR and DEL")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizable(ServerFactory factory) {
    Map<String, String> inSource = Map.of("a", "10", "b", "20");
    StoreCheck.ofSubjects("your store", () -> {
      var loads = new ConcurrentHashMap<String, AtomicInteger>();
      LoadOnceStore.Source source = key -> {
        loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String v = inSource.get(key);
        return v == null ? null : Entry.of(v.getBytes(StandardCharsets.UTF_8));
      };
      Store store = factory.newInstance(Store.class, source);
      return new StoreCheck.Subject() {
        @Override
        public Store store() {
          return store;
        }

        @Override
        public String check(List<StoreCheck.Update> updates) {
          for (String k : inSource.keySet()) {
            AtomicInteger n = loads.get(k);
            if (n != null && n.get() > 1) {
              return "the source was asked for " + k + " " + n.get() + " times: requesters of a missing key must share"
                  + " one load (register it atomically, e.g. putIfAbsent, and look in the cache again once registered)";
            }
          }
          return null;
        }
      };
    }).learnerClass(factory.targetClass())
        .backend(inSource)
        .twoIncrs()
        .scenario(Scenario.named("two GETs of a missing key at once").thread("get a").thread("get a").after("get a"))
        .scenario(Scenario.named("GET a (loads it) while another client sets, then deletes it").thread("get a")
            .thread("set a 2", "del a").after("get a"))
        .scenario(Scenario.named("GET a (loads it) while another client increments it").thread("get a")
            .thread("incr a").after("get a"))
        .invocations(20)
        .check();
  }

  @Test
  @Order(6)
  @DisplayName("races: Lincheck tries every way two GETs of a missing key can interleave their registration (one load, not two)")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void oneRegistrationPerKey(ServerFactory factory) {
    // A registration made of two steps (look for a load in flight, then put one's own) lets two requesters
    // both find none and both load: it needs the second requester to run between the first one's two steps
    // and the first to go on before the second's load ends. No gate reaches between two lines of the
    // learner's code, but the model checker does: it pauses threads at every shared-memory step, trying the
    // interleavings in a fixed order (the same on every machine), within this budget.
    Map<String, String> inSource = Map.of("a", "10");
    StoreCheck.ofSubjects("your store", () -> {
      var loads = new AtomicInteger();
      LoadOnceStore.Source source = key -> {
        loads.incrementAndGet();
        return Entry.of(inSource.get(key).getBytes(StandardCharsets.UTF_8));
      };
      Store store = factory.newInstance(Store.class, source);
      return new StoreCheck.Subject() {
        @Override
        public Store store() {
          return store;
        }

        @Override
        public String check(List<StoreCheck.Update> updates) {
          return loads.get() <= 1 ? null : "two GETs of the missing key a asked the source " + loads.get() + " times:"
              + " both found no load in flight and both registered one. Registering must be one atomic step"
              + " (putIfAbsent, or computeIfAbsent that only creates the future), and the requester whose"
              + " registration lost must wait for the winner's load";
        }
      };
    }).learnerClass(factory.targetClass())
        .backend(inSource)
        .scenario(Scenario.named("two GETs of a missing key at once").thread("get a").thread("get a")
            .invocations(300)) // found at 200 for the get-then-put registration; 300 leaves room
        .check();
  }

  @Test
  @Order(8)
  @DisplayName("locks held, call by call: a plain map of loads in flight is changed (registered and removed) and read under one lock")
  void registryChangesHoldItsLock(ServerFactory factory) throws Exception {
    // A HashMap of loads in flight whose removal skips the lock its registration takes is a race the model
    // checker rarely reaches in its budget (the removal has to land inside another requester's put). Holding
    // a lock is a property of each call: MapGuard notes the locks held at every use of the store's plain maps,
    // and the GETs below (misses that load, then hits) are made one at a time.
    LoadOnceStore.Source instant = key -> Entry.of(("loaded:" + key).getBytes(StandardCharsets.UTF_8));
    Store store = factory.newInstance(Store.class, instant);
    MapGuard.unguardedUse(store, List.of(() -> store.get("a"), () -> store.get("b"), () -> store.get("a"),
        () -> store.update("c", e -> Entry.of("1".getBytes(StandardCharsets.UTF_8))), () -> store.get("c"),
        () -> store.get("d"))).ifPresent(Assertions::fail);
  }

  @Test
  @Order(7)
  @DisplayName("through the server: 10 clients send GET k at once for a missing key; one load, and all get its value")
  void oneLoadThroughTheServer(ServerFactory factory) throws Exception {
    var source = new GatedSource();
    source.close("k");
    try (KvServer server = factory.start(ServerConfig.ephemeral(), source)) {
      var replies = new ConcurrentHashMap<Integer, String>();
      var opener = Thread.ofPlatform().daemon().start(() -> {
        source.awaitFirstLoad("k");
        Await.until(() -> false, Duration.ofMillis(300)); // let the other requests reach the store
        source.open("k");
      });
      Clients.run(REQUESTERS, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
          j.ping();
          ready.run();
          replies.put(id, j.get("k"));
        }
      });
      opener.join(5_000);
      for (int i = 0; i < REQUESTERS; i++) assertEquals("loaded:k", replies.get(i), "client " + (i + 1) + "'s GET k");
      assertEquals(1, source.calls("k"), REQUESTERS + " clients sent GET k at once; the source was asked "
          + source.calls("k") + " times instead of once");
    }
  }
}
