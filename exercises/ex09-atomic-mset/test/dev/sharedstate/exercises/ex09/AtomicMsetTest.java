package dev.sharedstate.exercises.ex09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.LockProbe;
import dev.sharedstate.exercises.grading.RedisCli;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.Stacks;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.MultiKeyStore;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Tests the README's rules: MSET and MGET are atomic for every reader, two of them never deadlock
 * whatever the order of their keys, each shard is locked once, and commands over disjoint shards never
 * wait for each other. Keys are placed in shards with the store's given {@code shardOf}
 * ({@code Math.floorMod(hashCode, n)}).
 */
@DisplayName("ex09 atomic MSET")
@Exercise(id = "ex09-atomic-mset", chapter = "chapters/06-contention-and-sharding.md#several-keys-at-once-locks-in-one-order", starter = AtomicMsetStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AtomicMsetTest {
  private static Entry value(String s) {
    return Entry.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Entry e) {
    return e == null ? null : e.text();
  }

  private static List<String> texts(List<Entry> entries) {
    var out = new ArrayList<String>();
    for (Entry e : entries) out.add(text(e));
    return out;
  }

  /** The first key (of "prefix" + i) whose hashCode passes {@code test}. */
  static String key(String prefix, IntPredicate test) {
    for (int i = 0; ; i++) if (test.test((prefix + i).hashCode())) return prefix + i;
  }

  /** A key in shard {@code s} of {@code n}. */
  static String inShard(String prefix, int s, int n) {
    return key(prefix, h -> Math.floorMod(h, n) == s);
  }

  static MultiKeyStore store(ServerFactory factory, int n) {
    return factory.newInstance(MultiKeyStore.class, n);
  }

  /** Runs {@code body} on a daemon platform thread named {@code name}, keeping what it returns or throws. */
  static final class Run<T> {
    final Thread thread;
    final AtomicReference<T> result = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean done = new AtomicBoolean();

    Run(String name, Supplier<T> body) {
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

    Await.Outcome parkedOrDone() {
      return Await.parkedOrDone(thread, done::get, Duration.ofSeconds(5));
    }

    T get(String what) {
      if (failure.get() != null) throw new AssertionError(what + " threw " + failure.get(), failure.get());
      return result.get();
    }
  }

  /** An update of {@code key} whose change waits until {@code release}: it holds the key's shard meanwhile. */
  static Run<Entry> hold(Store store, String key, CountDownLatch release, AtomicBoolean ran) {
    return new Run<>("holds-" + key, () -> store.update(key, e -> {
      ran.set(true);
      awaitQuietly(release);
      return e;
    }));
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** After {@code what} returned, another thread's SET of {@code key} must answer: no lock of it is still held. */
  static void otherThreadAnswers(MultiKeyStore store, String what, String key) {
    Run<Entry> r = new Run<>("SET " + key, () -> store.update(key, e -> e));
    if (r.parkedOrDone() != Await.Outcome.DONE) {
      fail(what + " returned, and then another thread's SET " + key + " waited: a shard's lock is still held (locked"
          + " once per key but unlocked once per shard?). Lock each shard of a command once, and unlock each once:\n"
          + Stacks.of(r.thread));
    }
    r.get("SET " + key + " after " + what);
  }

  @Test
  @Order(1)
  @DisplayName("getAll and updateAll: values in the order of the keys, nulls for missing keys, null removes; over 1, 3 and 16 shards")
  void multiKeyBasics(ServerFactory factory) {
    for (int n : new int[] {1, 3, 16}) {
      MultiKeyStore store = store(factory, n);
      var keys = List.of("a", "b", "polygenelubricants", inShard("same", Math.floorMod("a".hashCode(), n), n));
      List<Entry> set = store.updateAll(keys, old -> {
        assertEquals(4, old.size(), "updateAll hands change one entry per key");
        old.forEach(e -> assertEquals(null, e, "updateAll of keys never set: change got " + old));
        return List.of(value("1"), value("2"), value("3"), value("4"));
      });
      assertEquals(List.of("1", "2", "3", "4"), texts(set), "with " + n + " shards, updateAll returns what change returned");
      otherThreadAnswers(store, "MSET " + keys + " (two keys in one shard)", keys.get(3));
      assertEquals(List.of("1", "2", "3", "4"), texts(store.getAll(keys)), "with " + n + " shards, MSET " + keys + " then MGET");
      assertEquals("3", text(store.get("polygenelubricants")), "with " + n + " shards, a single GET after the MSET");
      var reversed = List.of(keys.get(3), "nosuchkey", keys.get(0));
      assertEquals(java.util.Arrays.asList("4", null, "1"), texts(store.getAll(reversed)), "with " + n + " shards, MGET " + reversed);
      otherThreadAnswers(store, "MGET " + reversed + " (two keys in one shard)", keys.get(0));
      store.updateAll(List.of("a", "b"), old -> java.util.Arrays.asList(null, value("22")));
      assertEquals(java.util.Arrays.asList(null, "22"), texts(store.getAll(List.of("a", "b"))),
          "with " + n + " shards, a null from change removes its key");
      assertThrows(IllegalStateException.class, () -> store.updateAll(List.of("a", "b"), old -> {
        throw new IllegalStateException("change failed");
      }), "an exception thrown by change must reach the caller");
      assertEquals(java.util.Arrays.asList(null, "22"), texts(store.getAll(List.of("a", "b"))),
          "with " + n + " shards, after a change that threw the keys must be as they were");
      store.update("b", e -> value("after")); // a shard left locked by the failed change would hang here
    }
  }

  @Test
  @Order(2)
  @DisplayName("forced schedule: an MGET never sees some keys of an MSET written and others not (torn read)")
  void noTornReadForced(ServerFactory factory) throws Exception {
    int n = 3;
    MultiKeyStore store = store(factory, n);
    String a = inShard("a", 0, n), b = inShard("b", 1, n), c = inShard("c", 2, n);
    store.updateAll(List.of(a, b, c), old -> List.of(value("old"), value("old"), value("old")));
    var inChange = new CountDownLatch(1);
    var releaseChange = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var held = new AtomicBoolean();
    Run<List<Entry>> mset = new Run<>("MSET", () -> store.updateAll(List.of(a, b, c), old -> {
      inChange.countDown();
      awaitQuietly(releaseChange);
      return List.of(value("new"), value("new"), value("new"));
    }));
    Run<Entry> holder = null;
    try {
      assertTrue(inChange.await(5, TimeUnit.SECONDS), "updateAll never called change: " + mset.failure.get());
      // While the MSET's change runs, another thread updates b. A store that holds every shard of the MSET
      // makes it wait; one that does not lets it in and holds b's shard.
      holder = hold(store, b, release, held);
      holder.parkedOrDone();
      releaseChange.countDown();
      mset.parkedOrDone(); // done, or (b's shard taken meanwhile) waiting for it between two writes
      Run<List<Entry>> mget = new Run<>("MGET", () -> store.getAll(List.of(a, c)));
      if (mget.parkedOrDone() == Await.Outcome.DONE) {
        List<String> got = texts(mget.get("getAll"));
        if (!got.get(0).equals(got.get(1))) {
          fail("MSET " + a + " new " + b + " new " + c + " new (over 3 shards) was under way, and another thread's MGET "
              + a + " " + c + " returned " + got + ": half of the MSET. Its writes went one key at a time (the"
              + " MSET had written " + a + " and was waiting for " + b + "'s shard, which another client took in"
              + " between): hold every shard of the MSET from before its reads until after its last write.");
        }
      }
    } finally {
      releaseChange.countDown();
      release.countDown();
    }
    assertTrue(Await.until(mset.done::get, Duration.ofSeconds(5)), "the MSET did not finish:\n" + Stacks.of(mset.thread));
    assertEquals(List.of("new", "new", "new"), texts(store.getAll(List.of(a, b, c))), "after the MSET");
  }

  /**
   * Two keys {@code p+i} and {@code q+i}, the first smaller by text and by hashCode, the first in shard 0
   * of 2 (or 1, if not {@code zeroFirst}) and the second in the other.
   */
  static String[] pair(String p, String q, boolean zeroFirst) {
    for (int i = 0; ; i++) {
      String lo = p + i, hi = q + i; // lo < hi by text
      if (lo.hashCode() >= hi.hashCode()) continue;
      if (Math.floorMod(lo.hashCode(), 2) == (zeroFirst ? 0 : 1) && Math.floorMod(hi.hashCode(), 2) == (zeroFirst ? 1 : 0)) {
        return new String[] {lo, hi};
      }
    }
  }

  /**
   * {@code [k0, k1, j1, j0]}: k0 and j0 in shard 0 of 2, k1 and j1 in shard 1; MSET k0 k1 comes first in
   * shard order, by argument, by text and by hashCode; MSET j1 j0 comes first in none of them but shard order.
   */
  static List<String> deadlockKeys() {
    String[] k = pair("ka", "kb", true); // k[0] in shard 0, smaller
    String[] j = pair("ja", "jb", false); // j[0] in shard 1, smaller
    return List.of(k[0], k[1], j[0], j[1]);
  }

  /** What a command of two keys did while shard 0 of 2 was held by another thread. */
  record FirstShard(boolean holdsShard1, String stack) {}

  /**
   * Holds shard 0 of a fresh store of 2, starts {@code command} (named {@code name}; its keys are one in
   * each shard), and finds out whether it took shard 1 and now waits for shard 0 (a SET of a shard-1 key
   * waits: a SET, not a GET, so that a read lock of shard 1 counts as holding it), or waits for shard 0
   * holding nothing (the SET answers). Then lets everything finish: no thread is left stuck.
   */
  static FirstShard firstShard(ServerFactory factory, String name, Function<MultiKeyStore, Object> command) throws Exception {
    MultiKeyStore store = store(factory, 2);
    var release = new CountDownLatch(1);
    var held = new AtomicBoolean();
    Run<Entry> holder = hold(store, inShard("h", 0, 2), release, held);
    Run<Object> cmd = null;
    Run<Entry> probe = null;
    try {
      assertTrue(Await.until(held::get, Duration.ofSeconds(5)), "an update of a free shard never ran its change");
      cmd = new Run<>(name, () -> command.apply(store));
      if (cmd.parkedOrDone() != Await.Outcome.PARKED) {
        fail("with shard 0 held by another update, " + name + " (a key in shard 0) did not wait for it: "
            + (cmd.failure.get() != null ? "it threw " + cmd.failure.get() : "it finished without the lock of shard 0"));
      }
      String stack = Stacks.of(cmd.thread);
      String inShard1 = inShard("p", 1, 2);
      probe = new Run<>("SET " + inShard1, () -> store.update(inShard1, e -> e));
      boolean holdsShard1 = Await.parkedOrDone(probe.thread, probe.done::get, Duration.ofSeconds(5)) == Await.Outcome.PARKED;
      return new FirstShard(holdsShard1, stack);
    } finally {
      release.countDown();
      for (Run<?> r : java.util.Arrays.asList(holder, cmd, probe)) {
        if (r != null) assertTrue(Await.until(r.done::get, Duration.ofSeconds(5)), r.thread.getName() + " did not finish:\n" + Stacks.of(r.thread));
      }
    }
  }

  @Test
  @Order(3)
  @DisplayName("forced schedule: MSETs and MGETs over the same two shards, keys in either order, all take the shards in the same order (no deadlock)")
  void noDeadlockForced(ServerFactory factory) throws Exception {
    List<String> keys = deadlockKeys();
    List<String> first = List.of(keys.get(0), keys.get(1)); // shard 0, then shard 1
    List<String> second = List.of(keys.get(2), keys.get(3)); // shard 1, then shard 0
    var names = new ArrayList<String>();
    var seen = new ArrayList<FirstShard>();
    for (List<String> k : List.of(first, second)) {
      String name = "MSET " + String.join(" ", k);
      names.add(name);
      seen.add(firstShard(factory, name, s -> s.updateAll(k, old -> List.of(value("1"), value("1")))));
    }
    for (List<String> k : List.of(first, second)) {
      String name = "MGET " + String.join(" ", k);
      names.add(name);
      seen.add(firstShard(factory, name, s -> s.getAll(k)));
    }
    for (int i = 1; i < seen.size(); i++) {
      if (seen.get(i).holdsShard1() == seen.get(0).holdsShard1()) continue;
      int greedy = seen.get(0).holdsShard1() ? 0 : i;
      int other = seen.get(0).holdsShard1() ? i : 0;
      fail("DEADLOCK possible: " + names.get(other) + " takes shard 0 first, " + names.get(greedy) + " takes shard 1 first"
          + " (each is one key in shard 0 and one in shard 1 of 2). Started together, the first holds shard 0 and waits for"
          + " shard 1 while the second holds shard 1 and waits for shard 0, forever. Lock shards in one order that every"
          + " command follows, MGET as well as MSET (ascending shard index), not in the order of the keys, their text or"
          + " their hashCode. Here is " + names.get(greedy) + ", holding shard 1 while it waits for shard 0 (held by the"
          + " test):\n" + seen.get(greedy).stack());
    }
  }

  @Test
  @Order(4)
  @DisplayName("an MSET whose change is running blocks nothing outside its shards: MSET, MGET, SET and GET of other shards answer")
  void disjointShardsNeverWait(ServerFactory factory) throws Exception {
    int n = 4;
    MultiKeyStore store = store(factory, n);
    String a0 = inShard("a", 0, n), a1 = inShard("a", 1, n), b2 = inShard("b", 2, n), b3 = inShard("b", 3, n);
    var inChange = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Run<List<Entry>> slow = new Run<>("MSET over shards 0 and 1", () -> store.updateAll(List.of(a0, a1), old -> {
      inChange.countDown();
      awaitQuietly(release);
      return List.of(value("1"), value("1"));
    }));
    try {
      assertTrue(inChange.await(5, TimeUnit.SECONDS), "updateAll never called change: " + slow.failure.get());
      List<Function<MultiKeyStore, Object>> others = List.of(
          s -> s.updateAll(List.of(b3, b2), old -> List.of(value("2"), value("2"))),
          s -> s.getAll(List.of(b2, b3)),
          s -> s.update(b2, e -> value("3")),
          s -> s.get(b3));
      List<String> names = List.of("MSET " + b3 + " " + b2, "MGET " + b2 + " " + b3, "SET " + b2, "GET " + b3);
      for (int i = 0; i < others.size(); i++) {
        var op = others.get(i);
        Run<Object> r = new Run<>(names.get(i), () -> op.apply(store));
        if (r.parkedOrDone() != Await.Outcome.DONE) {
          fail("while an MSET of " + a0 + " and " + a1 + " (shards 0 and 1 of 4) was changing its keys, " + names.get(i)
              + " (shards 2 and 3 only) waited: commands over other shards must not wait for it (is there one lock"
              + " for every MSET?):\n" + Stacks.of(r.thread));
        }
        r.get(names.get(i));
      }
    } finally {
      release.countDown();
    }
    assertTrue(Await.until(slow.done::get, Duration.ofSeconds(5)), "the MSET did not finish");
  }

  @Test
  @Order(5)
  @DisplayName("races: Lincheck tries the interleavings of MSET against MGET and against another MSET, over 2 shards")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void linearizable(ServerFactory factory) {
    List<String> dk = deadlockKeys();
    String[] k = dk.toArray(String[]::new);
    StoreCheck.of("your store of 2 shards", () -> factory.newInstance(MultiKeyStore.class, 2))
        .learnerClass(factory.targetClass())
        .keys(k[0], k[1], k[2], k[3])
        .scenario(Scenario.named("MGET of two keys in two shards while an MSET changes both").before("mset " + k[0] + " " + k[1] + " 1")
            .thread("mset " + k[0] + " " + k[1] + " 2").thread("mget " + k[1] + " " + k[0])
            .after("mget " + k[0] + " " + k[1]))
        // The smallest torn read: one MSET, one MGET. The budget reaches a write made after the locks were
        // released (one key written, the MGET in between, then the other), which no gate can force.
        .scenario(Scenario.named("MGET of two keys while an MSET writes both").before("mset " + k[0] + " " + k[1] + " 1")
            .thread("mset " + k[0] + " " + k[1] + " 2").thread("mget " + k[0] + " " + k[1]).invocations(60))
        .scenario(Scenario.named("two MSETs over the same two shards, keys in opposite orders")
            .thread("mset " + k[0] + " " + k[1] + " 1").thread("mset " + k[2] + " " + k[3] + " 2")
            .after("mget " + k[0] + " " + k[2]))
        .invocations(12)
        .check();
  }

  @Test
  @Order(6)
  @DisplayName("through the server: 4 Jedis clients MSET 3 keys in both orders while 4 MGET them; no MGET sees a torn MSET (and redis-cli, if installed)")
  void clientsNeverSeeTornMsets(ServerFactory factory) throws Exception {
    int n = 4;
    String a = inShard("a", 0, n), b = inShard("b", 1, n), c = inShard("c", 3, n);
    var torn = new AtomicReference<String>();
    var reads = new AtomicLong();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), n)) {
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        j.mset(a, "w0:0", b, "w0:0", c, "w0:0");
      }
      Clients.run(8, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
          j.ping();
          ready.run();
          for (int i = 0; i < 300 && torn.get() == null; i++) {
            if (id < 4) {
              String v = "w" + id + ":" + i;
              if (id % 2 == 0) j.mset(a, v, b, v, c, v);
              else j.mset(c, v, b, v, a, v);
            } else {
              List<String> got = id % 2 == 0 ? j.mget(a, b, c) : j.mget(c, a, b);
              reads.incrementAndGet();
              if (!got.get(0).equals(got.get(1)) || !got.get(1).equals(got.get(2))) {
                torn.compareAndSet(null, "MGET " + (id % 2 == 0 ? a + " " + b + " " + c : c + " " + a + " " + b) + " returned " + got);
              }
            }
          }
        }
      });
      // redis-cli too, where it is installed: one MSET and an MGET in the other order.
      RedisCli.run(server.port(), "mset", c, "cli", a, "cli", b, "cli").ifPresent(out -> assertEquals("OK", out, "redis-cli MSET"));
      RedisCli.run(server.port(), "mget", b, c, a).ifPresent(out -> assertEquals("cli\ncli\ncli", out, "redis-cli MGET after its MSET"));
    }
    assertEquals(null, torn.get(), "while other clients sent MSETs of " + a + ", " + b + " and " + c + " (each MSET one value"
        + " for all three), an MGET saw different values: part of one MSET and part of another");
    assertTrue(reads.get() > 0, "no MGET was answered");
  }

  @Test
  @Order(8)
  @DisplayName("a GET waits while another thread holds the shards' locks (no read of a shard's HashMap without its lock)")
  void readsTakeTheLock(ServerFactory factory) throws Exception {
    MultiKeyStore store = store(factory, 4);
    store.update("k", e -> value("v"));
    assertNotEquals(LockProbe.Result.READ_WITHOUT_LOCK, LockProbe.readWhileLocked(store, () -> store.get("k")),
        "while the test held every lock of your store, another thread's GET k answered at once: get reads a"
            + " shard's HashMap without that shard's lock, and may see it half changed (one key cannot be torn, but"
            + " the map it sits in can be in the middle of another key's put or resize)");
  }

  @Test
  @Order(9)
  @DisplayName("forced schedule: while an updateAll's change runs, a SET of one of its keys waits (read, change and write are one step)")
  void changeRunsWithTheShardsHeld(ServerFactory factory) throws Exception {
    List<String> keys = deadlockKeys().subList(0, 2); // one key in each shard of 2
    MultiKeyStore store = store(factory, 2);
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var saw = new AtomicReference<List<Entry>>();
    Run<List<Entry>> mset = new Run<>("MSET-whose-change-waits", () -> store.updateAll(keys, old -> {
      saw.set(old);
      entered.countDown();
      awaitQuietly(release);
      return List.of(value("from-mset"), value("from-mset"));
    }));
    try {
      if (!entered.await(5, TimeUnit.SECONDS)) fail("updateAll " + keys + " never called its change" + (mset.failure.get() != null ? ": it threw " + mset.failure.get() : ""));
      for (String k : keys) {
        Run<Entry> set = new Run<>("SET " + k, () -> store.update(k, e -> value("from-set")));
        if (set.parkedOrDone() == Await.Outcome.DONE) {
          fail("while updateAll " + keys + " was running its change (on the entries it read), another thread's SET " + k
              + " ran and returned: the change does not run with the shards held, so it works on entries that may be"
              + " gone by the time its result is written. Hold every shard of the keys from before the read until"
              + " after the write, change included.");
        }
      }
    } finally {
      release.countDown();
    }
    mset.thread.join(5_000);
    mset.get("updateAll " + keys);
  }

  @Test
  @Order(7)
  @DisplayName("a store of 0 shards is refused with a clear message")
  void zeroShardsRefused(ServerFactory factory) {
    var e = assertThrows(IllegalArgumentException.class, () -> factory.start(ServerConfig.ephemeral(), 0).close());
    assertTrue(e.getMessage() != null && e.getMessage().contains("0"), "the message must say what was wrong: " + e.getMessage());
  }
}
