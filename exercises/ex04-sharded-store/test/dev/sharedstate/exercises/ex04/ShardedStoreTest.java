package dev.sharedstate.exercises.ex04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.LockProbe;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Tests the README's rules, not one shard function: any function that puts every key in one of the N
 * shards, the same one every time, and spreads keys over all N passes. Which keys share a shard is found
 * out by holding shards, not computed with the reference's formula.
 */
@DisplayName("ex04 sharded store")
@Exercise(id = "ex04-sharded-store", chapter = "chapters/06-contention-and-sharding.md", starter = ShardedStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedStoreTest {
  /** Its hashCode is Integer.MIN_VALUE: Math.abs(hashCode) is still negative, and hashCode % n is too. */
  static final String MIN_HASH_KEY = "polygenelubricants";
  /** Keys tried when looking for every shard. */
  static final int CANDIDATES = 300;
  /** Keys in a row that may all fall into shards already found before we conclude the rest get none. */
  static final int IN_A_ROW = 80;

  private static Entry value(String s) {
    return Entry.of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A key with a negative hashCode (half of all keys): {@code hashCode % n} is negative for it. */
  static String negativeHashKey() {
    for (int i = 0; ; i++) if (("neg:" + i).hashCode() < 0) return "neg:" + i;
  }

  /**
   * A key whose hashCode is exactly {@code target}: "hash:" + i, then two chars chosen to land on it (a
   * shard function may be wrong only at the ends of the int range, as ranges of the hash divided too coarsely are).
   */
  static String keyWithHash(int target) {
    for (int i = 0; ; i++) {
      String prefix = "hash:" + i;
      long rest = Integer.toUnsignedLong(target - prefix.hashCode() * 961);
      long c1 = rest / 31, c2 = rest % 31;
      if (c1 <= 0xD7FF) return prefix + (char) c1 + (char) c2; // below the surrogates: an ordinary String
    }
  }

  /**
   * Holds shards: {@link #tryHold} runs an update whose change waits until {@link #close}; if that update
   * ran, its key's shard was free and is now held, if it waited, its shard was already held.
   */
  static final class Shards implements AutoCloseable {
    final Store store;
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> held = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    Shards(Store store) {
      this.store = store;
    }

    boolean tryHold(String key) {
      var ran = new AtomicBoolean();
      var failure = new AtomicReference<Throwable>();
      Thread t = Thread.ofPlatform().daemon().name("holds-" + key).start(() -> {
        try {
          store.update(key, e -> {
            ran.set(true);
            try {
              release.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
            }
            return e;
          });
        } catch (Throwable ex) {
          failure.set(ex);
        }
      });
      threads.add(t);
      Await.Outcome o = Await.parkedOrDone(t, ran::get, Duration.ofSeconds(5));
      if (failure.get() != null) {
        throw new AssertionError("update(\"" + key + "\") threw " + failure.get(), failure.get());
      }
      if (o == Await.Outcome.NEITHER) fail("update(\"" + key + "\") neither ran its change nor waited within 5 s");
      if (o == Await.Outcome.DONE) held.add(key);
      return o == Await.Outcome.DONE;
    }

    @Override
    public void close() throws InterruptedException {
      release.countDown();
      for (Thread t : threads) t.join(5_000);
    }
  }

  /**
   * Finds one key in each shard of a store of {@code n} by holding shards: the returned list has one key
   * per shard, and every one of them is held when this returns (close {@code shards} to release).
   */
  static List<String> oneKeyPerShard(Shards shards, int n) {
    int inARow = 0;
    for (int i = 0; i < CANDIDATES && shards.held.size() < n; i++) {
      String k = i == 0 ? MIN_HASH_KEY : "key:" + i;
      if (shards.tryHold(k)) inARow = 0;
      else if (++inARow == IN_A_ROW) break;
    }
    if (shards.held.size() < n) {
      fail("a store of " + n + " shards put its keys into only " + shards.held.size() + " of them: with the"
          + " shards holding " + shards.held + " locked, " + IN_A_ROW + " other keys in a row all waited. The"
          + " shard must be spread over 0.." + (n - 1) + " (does it use hash & (n - 1)? That works only when n"
          + " is a power of two; this store has " + n + ").");
    }
    return List.copyOf(shards.held);
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {1, 2, 3, 5, 7, 16})
  @Order(1)
  @DisplayName("every key, whatever its hashCode (negative, Integer.MIN_VALUE, Integer.MAX_VALUE, the empty key's 0), lands in a shard: SET, GET and DEL work")
  void everyKeyHasAShard(int n, ServerFactory factory) {
    Store store = factory.newInstance(Store.class, n);
    for (String key : List.of(MIN_HASH_KEY, negativeHashKey(), "a", "key:" + Integer.MAX_VALUE, "",
        keyWithHash(Integer.MAX_VALUE), keyWithHash(Integer.MAX_VALUE - 1), keyWithHash(-1))) {
      String shown = key.isEmpty() ? "\"\"" : key.chars().allMatch(c -> c >= ' ' && c < 127) ? key
          : "[a key of hashCode " + key.hashCode() + "]";
      // Each command brings its key as a new String, as the server reads it: equal, not the same object.
      try {
        store.update(new String(key), e -> value("v"));
        Entry got = store.get(new String(key));
        assertEquals("v", got == null ? null : got.text(), "with " + n + " shards, SET " + shown + " v then GET " + shown
            + (got == null ? " (the GET looked in another shard than the SET: is the shard chosen from the key's"
            + " value, its hashCode?)" : ""));
        store.update(new String(key), e -> null);
        assertEquals(null, store.get(new String(key)), "with " + n + " shards, DEL " + shown + " then GET " + shown);
      } catch (RuntimeException e) {
        throw new AssertionError("with " + n + " shards, SET, GET or DEL of " + shown + " (hashCode " + key.hashCode()
            + ") threw " + e + ": shardOf must give every key a shard from 0 to n - 1", e);
      }
    }
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {3, 4, 7})
  @Order(2)
  @DisplayName("keys spread over exactly n shards, and a key in a free shard is never held up by the others")
  void exactlyNIndependentShards(int n, ServerFactory factory) throws Exception {
    Store store = factory.newInstance(Store.class, n);
    try (var shards = new Shards(store)) {
      oneKeyPerShard(shards, n);
      // All n shards are held now: no key may find a free one.
      for (int i = 0; i < 6; i++) {
        String k = "extra:" + i;
        if (shards.tryHold(k)) {
          fail("with the shards of " + shards.held.subList(0, n) + " held (" + n + " keys whose updates each ran"
              + " while the others' were held, so " + n + " shards), an update of " + k + " still ran: the store"
              + " uses more than the " + n + " shards it was built with");
        }
      }
    }
  }

  @Test
  @Order(5)
  @DisplayName("races: Lincheck tries the interleavings of concurrent GET, SET, INCR and DEL, with 1 and 3 shards")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizable(ServerFactory factory) {
    StoreCheck.of("your store of 1 shard", () -> factory.newInstance(Store.class, 1))
        .learnerClass(factory.targetClass())
        .twoIncrs()
        .growingMap()
        .invocations(20)
        .check();
    StoreCheck.of("your store of 3 shards", () -> factory.newInstance(Store.class, 3))
        .learnerClass(factory.targetClass())
        .keys("a", "b", "c", MIN_HASH_KEY)
        .scenario(Scenario.named("two INCR of one key").thread("incr " + MIN_HASH_KEY).thread("incr " + MIN_HASH_KEY)
            .after("get " + MIN_HASH_KEY))
        .scenario(Scenario.named("updates of four keys at once").before("set c 1")
            .thread("incr a", "set b 2", "get c").thread("incr b", "del c", "get a").after("get b"))
        .invocations(20)
        .check();
  }

  @Test
  @Order(3)
  @DisplayName("a GET waits while another thread holds the shards' locks (no read of a shard's HashMap without its lock)")
  void readsTakeTheLock(ServerFactory factory) throws Exception {
    Store store = factory.newInstance(Store.class, 4);
    store.update("k", e -> value("v"));
    assertNotEquals(LockProbe.Result.READ_WITHOUT_LOCK, LockProbe.readWhileLocked(store, () -> store.get("k")),
        "while the test held every lock of your store, another thread's GET k answered at once: get reads a"
            + " shard's HashMap without that shard's lock, and may see it half changed");
  }

  /**
   * The maps a store keeps its keys in, found by reflection: its fields that are maps, and the maps in its
   * fields' lists and arrays, and in the fields of the objects those hold (a record per shard, say).
   */
  static List<Map<?, ?>> mapsOf(Object store) {
    var found = new ArrayList<Map<?, ?>>();
    collectMaps(store, 0, found, Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void collectMaps(Object o, int depth, List<Map<?, ?>> found, Set<Object> seen) {
    if (o == null || depth > 3 || !seen.add(o)) return;
    if (o instanceof Map<?, ?> m) {
      found.add(m);
    } else if (o instanceof Iterable<?> items) {
      for (Object item : items) collectMaps(item, depth + 1, found, seen);
    } else if (o instanceof Object[] items) {
      for (Object item : items) collectMaps(item, depth + 1, found, seen);
    } else if (o.getClass().getClassLoader() != null
        && o.getClass().getClassLoader() != ClassLoader.getPlatformClassLoader()) { // the store's own classes
      for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
          try {
            f.setAccessible(true);
            collectMaps(f.get(o), depth + 1, found, seen);
          } catch (ReflectiveOperationException | RuntimeException e) {
            // a field we may not read: not where the keys are
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {3, 5})
  @Order(4)
  @DisplayName("keys kept in one shard's map wait for each other: while one's update runs, an update or GET of another waits")
  void keysOfOneMapShareItsLock(int n, ServerFactory factory) throws Exception {
    // The hold-based tests see which keys share a lock, not which share a map: a store whose lock is numbered
    // otherwise than its map (floorMod for one, abs(%) for the other) has n locks that each look right, yet two
    // keys of opposite hashCode signs in one map are changed under two different locks. So look into the store
    // for its maps, find where each key went, and hold one key of each map while the others of that map try.
    Store store = factory.newInstance(Store.class, n);
    var keys = new ArrayList<String>(List.of(MIN_HASH_KEY));
    int positive = 0, negative = 0;
    for (int i = 0; positive < 4 * n || negative < 4 * n; i++) {
      String k = "shard-key:" + i; // long enough for hashCodes of both signs
      if (k.hashCode() >= 0 ? positive++ < 4 * n : negative++ < 4 * n) keys.add(k);
    }
    for (String k : keys) store.update(new String(k), e -> value("v"));
    List<Map<?, ?>> maps = mapsOf(store);
    var keysOfMap = new LinkedHashMap<Map<?, ?>, List<String>>();
    for (String k : keys) {
      for (Map<?, ?> m : maps) {
        if (m.containsKey(k)) {
          keysOfMap.computeIfAbsent(m, x -> new ArrayList<>()).add(k);
          break;
        }
      }
    }
    assertTrue(!keysOfMap.isEmpty(), "the test could not find where your store keeps its keys: none of " + maps.size()
        + " maps in its fields held any of " + keys.size() + " keys it had just SET. Keep the shards' maps in the"
        + " store's fields (a list or array of maps, or of objects holding one), as the starter does");
    int mapNumber = 0;
    for (var group : keysOfMap.entrySet()) {
      mapNumber++;
      List<String> inThisMap = group.getValue();
      if (inThisMap.size() < 2) continue;
      boolean concurrentMap = group.getKey() instanceof ConcurrentMap<?, ?>; // may be read without a lock
      String holder = inThisMap.get(0);
      var others = new ArrayList<String>();
      for (boolean negativeHash : new boolean[] {false, true}) {
        inThisMap.stream().skip(1).filter(k -> (k.hashCode() < 0) == negativeHash).limit(3).forEach(others::add);
      }
      var tries = new ArrayList<Thread>();
      var ran = new ArrayList<AtomicBoolean>();
      var what = new ArrayList<String>();
      var whose = new ArrayList<String>();
      try (var shards = new Shards(store)) {
        assertTrue(shards.tryHold(new String(holder)), "an update of " + holder + " waited though no other update ran");
        // Every other key of the map tries at once: each must wait for the held shard.
        for (String other : others) {
          var updated = new AtomicBoolean();
          tries.add(Thread.ofPlatform().daemon().name("update-" + other).start(() -> store.update(new String(other), e -> {
            updated.set(true);
            return e;
          })));
          ran.add(updated);
          what.add("an update of '" + other + "' ran its change too");
          whose.add(other);
          if (concurrentMap) continue;
          var read = new AtomicBoolean();
          tries.add(Thread.ofPlatform().daemon().name("get-" + other).start(() -> {
            store.get(new String(other));
            read.set(true);
          }));
          ran.add(read);
          what.add("a GET of '" + other + "' answered at once");
          whose.add(other);
        }
        waitUntilSettled(tries, ran);
        for (int i = 0; i < tries.size(); i++) {
          if (!ran.get(i).get()) continue;
          String other = whose.get(i);
          fail("'" + holder + "' (hashCode " + holder.hashCode() + ") and '" + other + "' (hashCode " + other.hashCode()
              + ") are kept in the same map of your store (" + group.getKey().getClass().getSimpleName() + " "
              + mapNumber + " of " + keysOfMap.size() + "), so they are in one shard; while an update of '" + holder
              + "' was running its change (its shard locked), " + what.get(i) + ": the two keys share a map but not"
              + " its lock, and use that map at the same time. Do the lock and the map come from one shard number?");
        }
      } finally {
        for (Thread t : tries) t.join(5_000);
      }
    }
  }

  /**
   * Waits, at most 3 s, until each thread has either done what it tried ({@code ran}) or is parked (or ended),
   * and all still are 20 ms later (not a passing park).
   */
  private static void waitUntilSettled(List<Thread> threads, List<AtomicBoolean> ran) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (settled(threads, ran)) {
        Thread.sleep(20);
        if (settled(threads, ran)) return;
      }
      Thread.sleep(1);
    }
  }

  private static boolean settled(List<Thread> threads, List<AtomicBoolean> ran) {
    for (int i = 0; i < threads.size(); i++) {
      Thread.State s = threads.get(i).getState();
      boolean stopped = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED
          || s == Thread.State.TERMINATED;
      if (!ran.get(i).get() && !stopped) return false;
    }
    return true;
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {4, 5})
  @Order(6)
  @DisplayName("through the server: while one shard is held, clients' SET and GET of keys in every other shard answer at once")
  void otherShardsAnswerThroughTheServer(int n, ServerFactory factory) throws Exception {
    var captured = new AtomicReference<Store>();
    Consumer<Store> created = captured::set;
    try (KvServer server = factory.start(ServerConfig.ephemeral(), n, created)) {
      Store store = captured.get();
      assertTrue(store != null, "start(config, n, created) must hand the store it starts to created");
      List<String> perShard;
      try (var all = new Shards(store)) {
        perShard = oneKeyPerShard(all, n);
      }
      try (var one = new Shards(store);
          var j = new Jedis("127.0.0.1", server.port(), 2_000)) {
        assertTrue(one.tryHold(perShard.get(0)), "the shard of " + perShard.get(0) + " was free, yet its update waited");
        for (String k : perShard.subList(1, n)) {
          try {
            assertEquals("OK", j.set(k, "v"));
            assertEquals("v", j.get(k));
          } catch (JedisConnectionException e) {
            fail("the shard of '" + perShard.get(0) + "' was held; SET/GET " + k + " (another shard: its update ran"
                + " while the others were held) got no reply within 2 s: keys of different shards still wait"
                + " for each other");
          }
        }
      }
    }
  }

  @Test
  @Order(7)
  @DisplayName("16 clients INCR 40 keys (one with hashCode Integer.MIN_VALUE) 25 times each at once over 3 shards: no count is lost")
  void concurrentClientsLoseNothing(ServerFactory factory) throws Exception {
    int clients = 16, rounds = 25;
    var keys = new ArrayList<String>();
    for (int i = 0; i < 38; i++) keys.add("key:" + i);
    keys.add(MIN_HASH_KEY);
    keys.add(negativeHashKey());
    try (KvServer server = factory.start(ServerConfig.ephemeral(), 3)) {
      Clients.run(clients, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
          j.ping();
          ready.run();
          for (int r = 0; r < rounds; r++) {
            Pipeline p = j.pipelined();
            for (String k : keys) p.incr(k);
            p.sync();
          }
        }
      });
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        List<String> got = j.mget(keys.toArray(String[]::new));
        for (int i = 0; i < keys.size(); i++) {
          assertEquals(String.valueOf(clients * rounds), got.get(i),
              "16 clients sent INCR " + keys.get(i) + " 400 times in all; GET " + keys.get(i) + " returned " + got.get(i));
        }
      }
    }
  }

  @Test
  @Order(8)
  @DisplayName("a store of 0 shards is refused with a clear message")
  void zeroShardsRefused(ServerFactory factory) {
    var e = assertThrows(IllegalArgumentException.class, () -> factory.start(ServerConfig.ephemeral(), 0).close());
    assertTrue(e.getMessage() != null && e.getMessage().contains("0"), "the message must say what was wrong: " + e.getMessage());
  }
}
