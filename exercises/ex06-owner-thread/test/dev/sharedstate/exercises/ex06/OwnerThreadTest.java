package dev.sharedstate.exercises.ex06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

@DisplayName("ex06 owner thread")
@Exercise(id = "ex06-owner-thread", chapter = "chapters/02-strategies.md", starter = OwnerThreadStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OwnerThreadTest {
  static final int CLIENTS = 16;
  static final int INCRS = 100;

  /** Records the store and every thread that touched its map. */
  static final class Watch implements OwnerThreadStore.Probe {
    final AtomicReference<Store> store = new AtomicReference<>();
    final Set<Thread> touchers = ConcurrentHashMap.newKeySet();

    @Override
    public void created(Store s) {
      store.set(s);
    }

    @Override
    public void touched() {
      touchers.add(Thread.currentThread());
    }

    void closeStore() {
      Store s = store.get();
      if (s != null) assertTimeoutPreemptively(Duration.ofSeconds(5), s::close, "Store.close() did not return within 5 s");
    }

    String names() {
      return touchers.stream().map(t -> "'" + t.getName() + "'" + (t.isVirtual() ? " (virtual)" : ""))
          .collect(Collectors.joining(", "));
    }
  }

  /** {@code CLIENTS} clients at once, each: INCR counter (pipelined), SET its own key, GET it back. */
  private static void traffic(KvServer server) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var go = new CountDownLatch(1);
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        done.add(pool.submit(() -> {
          try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
            j.ping();
            go.await();
            Pipeline p = j.pipelined();
            for (int i = 0; i < INCRS; i++) p.incr("counter");
            p.sync();
            assertEquals("OK", j.set("client:" + id, "value-" + id), "SET client:" + id);
            assertEquals("value-" + id, j.get("client:" + id), "client " + id + " sent SET then GET client:" + id);
          }
          return null;
        }));
      }
      go.countDown();
      for (var f : done) f.get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("16 clients at once (INCR one counter 100 times each, SET and GET their own keys) all get the right answers")
  void manyClientsGetCorrectAnswers(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch)) {
      traffic(server);
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        assertEquals(String.valueOf(CLIENTS * INCRS), j.get("counter"),
            CLIENTS + " clients sent " + CLIENTS * INCRS + " INCR counter in all");
        String[] keys = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) keys[i] = "client:" + i;
        List<String> values = j.mget(keys);
        for (int i = 0; i < CLIENTS; i++) assertEquals("value-" + i, values.get(i), "MGET: client:" + i);
        assertEquals(1L, j.del("client:0"));
        assertNull(j.get("client:0"), "GET after DEL");
      }
    } finally {
      watch.closeStore();
    }
  }

  @Test
  @DisplayName("the map is only ever read or written by one thread, the owner, never by a connection's thread")
  void onlyTheOwnerTouchesTheMap(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch)) {
      traffic(server);
      assertFalse(watch.touchers.isEmpty(), "the map was never touched through state(): route every access through it");
      assertEquals(1, watch.touchers.size(),
          "the map was touched by " + watch.touchers.size() + " threads (" + watch.names()
              + "): only the owner thread may touch it; the others must send it a command");
      Thread owner = watch.touchers.iterator().next();
      assertFalse(owner.getName().startsWith("kv-"),
          "the map was touched by a connection's thread " + watch.names() + ", not by the owner");
      assertTrue(owner.isAlive(), "the owner thread ended while the store is open");
    } finally {
      watch.closeStore();
    }
  }

  @Test
  @DisplayName("a change that throws fails only its own caller: the owner thread keeps serving")
  void failingChangeDoesNotKillTheOwner(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch)) {
      Store store = watch.store.get();
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        store.update("k", e -> Entry.of("v".getBytes(StandardCharsets.UTF_8)));
        var boom = assertThrows(IllegalStateException.class,
            () -> store.update("k", e -> { throw new IllegalStateException("boom"); }),
            "Store.update must rethrow the exception its change threw, in the caller's thread");
        assertEquals("boom", boom.getMessage());
        Entry after = store.get("k");
        assertEquals("v", after == null ? null : after.text(), "a change that threw must leave the entry as it was");
      }, "the store did not answer within 5 s");
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        assertEquals("v", j.get("k"), "after a change threw, the server must keep serving GET k");
      }
    } finally {
      watch.closeStore();
    }
  }

  @Test
  @DisplayName("close() stops the owner thread within 2 s, and a call after close fails at once instead of hanging")
  void cleanShutdown(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch);
        var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
      assertEquals("OK", j.set("k", "v"));
      assertEquals("v", j.get("k"), "SET k v then GET k");
    }
    assertFalse(watch.touchers.isEmpty(), "the map was never touched through state()");
    Thread owner = watch.touchers.iterator().next();
    watch.closeStore();
    owner.join(2_000);
    assertFalse(owner.isAlive(), "the owner thread '" + owner.getName() + "' was still running 2 s after Store.close()");
    Store store = watch.store.get();
    assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
      try {
        store.get("k");
        fail("Store.get after close() returned instead of failing with a StoreException");
      } catch (StoreException expected) {
        // a clear error, at once
      }
    }, "Store.get after close() waited instead of failing at once");
  }
}
