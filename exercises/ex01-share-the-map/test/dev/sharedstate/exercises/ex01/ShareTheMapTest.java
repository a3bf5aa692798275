package dev.sharedstate.exercises.ex01;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.LockProbe;
import dev.sharedstate.exercises.grading.MapGuard;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.StoreCheck;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

@DisplayName("ex01 share the map")
@Exercise(id = "ex01-share-the-map", chapter = "chapters/04-one-map-behind-a-lock.md", starter = ShareTheMap.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShareTheMapTest {

  /** The store class the learner's server hands its connections, and fresh ones of it for the model checker. */
  private static Supplier<Store> freshStores(ServerFactory factory) throws Exception {
    try (KvServer server = factory.start(ServerConfig.ephemeral())) {
      Store one = factory.storesOf(server).get();
      refuseStaticLock(one.getClass());
      var ctor = one.getClass().getDeclaredConstructor();
      ctor.setAccessible(true);
      return () -> {
        try {
          return (Store) ctor.newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new AssertionError("the tests create fresh stores of your store class through its no-argument"
          + " constructor: keep one (see the README)", e);
    }
  }

  /**
   * Fails at once, with a message that says why, if the store locks something static: a lock shared by every
   * store of the class. The README asks for the store's own lock; checked before the model checker runs,
   * because a lock shared by the stores it makes, one per explored interleaving, outlives each of them and
   * can stay held by a thread Lincheck abandoned (the check would then hang until its own time limit).
   */
  private static void refuseStaticLock(Class<?> storeClass) {
    for (Class<?> c = storeClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> in = c; in != null; in = in.getEnclosingClass()) { // a lock kept in ShareTheMap itself
        for (Field f : in.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) continue;
          Class<?> t = f.getType();
          if (Lock.class.isAssignableFrom(t) || ReadWriteLock.class.isAssignableFrom(t)
              || StampedLock.class.isAssignableFrom(t) || Semaphore.class.isAssignableFrom(t) || t == Object.class) {
            throw new AssertionError("your store's lock is the static field " + in.getSimpleName() + "." + f.getName()
                + ": one lock shared by every store of the class, so two servers (and the fresh stores the tests"
                + " make) wait on each other. Make the lock a field of the store, like its map (see the README)");
          }
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isStatic(m.getModifiers()) && Modifier.isSynchronized(m.getModifiers())) {
          throw new AssertionError("your store's method " + m.getName() + " is static synchronized: it locks the"
              + " class, shared by every store. Make the lock a field of the store, like its map (see the README)");
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("a value SET by one client is seen by GET from another client")
  void visibleAcrossConnections(ServerFactory factory) throws Exception {
    try (KvServer server = factory.start(ServerConfig.ephemeral());
        var alice = new Jedis("127.0.0.1", server.port(), 5_000);
        var bob = new Jedis("127.0.0.1", server.port(), 5_000)) {
      alice.set("greeting", "hello");
      assertEquals("hello", bob.get("greeting"),
          "client 1 sent SET greeting hello; client 2 then sent GET greeting and got "
              + "this instead of \"hello\": each connection still has its own map");
    }
    // A second server is a new store: one kept in a static field (created eagerly, or lazily by the first
    // connection, unsynchronized) would leak the first server's keys, and race when two connections create it.
    try (KvServer second = factory.start(ServerConfig.ephemeral());
        var carol = new Jedis("127.0.0.1", second.port(), 5_000)) {
      assertEquals(null, carol.get("greeting"),
          "a client of a second server, started after the first was closed, sent GET greeting and got the first"
              + " server's value: the store is kept in a static field. Create it in start(), once per server");
    }
  }

  @Test
  @Order(3)
  @DisplayName("races: Lincheck tries the interleavings of concurrent GET, SET, INCR and DEL on the store")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the model checker detects hangs itself; seconds normally
  void linearizable(ServerFactory factory) throws Exception {
    StoreCheck.of("your store", freshStores(factory))
        .learnerClass(factory.targetClass())
        .standardScenarios()
        .randomScenarios(1)
        .invocations(20)
        .check();
  }

  @Test
  @Order(2)
  @DisplayName("a GET waits while another thread holds the store's lock (no read of the HashMap without it)")
  void readsTakeTheLock(ServerFactory factory) throws Exception {
    Store store = freshStores(factory).get();
    store.update("k", e -> Entry.of("v".getBytes(StandardCharsets.UTF_8)));
    LockProbe.Result r = LockProbe.readWhileLocked(store, () -> store.get("k"));
    assertNotEquals(LockProbe.Result.READ_WITHOUT_LOCK, r,
        "while the test held your store's lock, another thread's GET k answered at once: get reads the HashMap"
            + " without the lock. Another thread may be changing the map at that moment, and the Java memory"
            + " model lets the reader see it half changed. Take the lock in get too (the README says why, even for a"
            + " copy of the map that is never changed), and make it the store's own: the test holds the locks in the"
            + " store's fields and the store's monitor, not a class's.");
    // Call by call: a read that skips the lock only while no writer holds it (an optimistic read) waits
    // under the probe above, yet reads the HashMap unlocked whenever it does not.
    MapGuard.unguardedStoreRead(freshStores(factory).get(), "k").ifPresent(Assertions::fail);
  }

  @Test
  @Order(4)
  @DisplayName("50 clients at once SET their own keys, INCR one shared counter and read each other's keys")
  void manyClientsAtOnce(ServerFactory factory) throws Exception {
    int clients = 50, keys = 20;
    try (KvServer server = factory.start(ServerConfig.ephemeral())) {
      Clients.run(clients, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
          j.ping();
          ready.run();
          for (int k = 0; k < keys; k++) {
            j.set("c" + id + "-k" + k, "v" + k);
            j.incr("shared");
            j.get("c" + ((id + 1) % clients) + "-k" + k); // a read while others write
          }
        }
      });
      try (var reader = new Jedis("127.0.0.1", server.port(), 5_000)) {
        int missing = 0;
        for (int c = 0; c < clients; c++)
          for (int k = 0; k < keys; k++) if (!("v" + k).equals(reader.get("c" + c + "-k" + k))) missing++;
        assertEquals(0, missing, missing + " of " + clients * keys + " keys written by 50 concurrent clients were"
            + " missing or wrong when a fresh client read them back");
        assertEquals(String.valueOf(clients * keys), reader.get("shared"),
            "50 clients sent " + clients * keys + " INCR shared in all: increments were lost");
      }
    }
  }
}
