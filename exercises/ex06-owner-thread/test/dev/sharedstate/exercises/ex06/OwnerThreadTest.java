package dev.sharedstate.exercises.ex06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Clients;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

@DisplayName("ex06 owner thread")
@Exercise(id = "ex06-owner-thread", chapter = "chapters/02-strategies.md", starter = OwnerThreadStore.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// No model check here: Lincheck cannot schedule a thread the store starts itself (it reports livelocks that
// depend on the number of processors). The owner thread serialises every command by design; what can go
// wrong around it is checked with forced schedules below.
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

  /** A change that records the thread it ran on, then waits until the test opens {@code gate}. */
  static final class GatedChange implements java.util.function.UnaryOperator<Entry> {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final AtomicReference<Thread> ranOn = new AtomicReference<>();
    final Entry result;

    GatedChange(Entry result) {
      this.result = result;
    }

    @Override
    public Entry apply(Entry old) {
      ranOn.set(Thread.currentThread());
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return result;
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
  }

  private static Entry value(String s) {
    return Entry.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Entry e) {
    return e == null ? null : e.text();
  }

  @Test
  @Order(1)
  @DisplayName("update returns the entry its change produced (the new one), and GET then sees it")
  void updateReturnsTheNewEntry(ServerFactory factory) {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        Entry mine = value("new");
        store.update("k", e -> value("old"));
        Entry got = store.update("k", e -> mine);
        assertSame(mine, got, "update(k, change) must return what change returned (INCR replies with it); it"
            + " returned " + got);
        assertEquals("new", text(store.get("k")));
        assertNull(store.update("k", e -> null), "update whose change returns null (a DEL) must return null");
        assertNull(store.get("k"), "GET after DEL");
      }, "the store did not answer within 5 s: is the owner's loop running?");
    } finally {
      watch.closeStore();
    }
  }

  @Test
  @Order(2)
  @DisplayName("while the owner is busy with one command, other commands wait for it: nobody else touches the map")
  void onlyTheOwnerServes(ServerFactory factory) throws Exception {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    var gated = new GatedChange(value("1"));
    try {
      store.update("k", e -> value("0"));
      var first = new Call<>("client-1-update", () -> store.update("k", gated));
      if (!gated.entered.await(3, TimeUnit.SECONDS)) fail("update(k, change) never ran its change within 3 s");
      Thread owner = gated.ranOn.get();
      var secondRan = new AtomicReference<Thread>();
      var get = new Call<>("client-2-GET", () -> text(store.get("k")));
      var update = new Call<>("client-3-update", () -> text(store.update("k2", e -> {
        secondRan.set(Thread.currentThread());
        return value("2");
      })));
      try {
        Await.Outcome g = Await.parkedOrDone(get.thread, get.done::get, Duration.ofSeconds(1));
        Await.Outcome u = Await.parkedOrDone(update.thread, update.done::get, Duration.ofSeconds(1));
        assertTrue(g != Await.Outcome.DONE, "while the owner thread was busy with client 1's update (its change"
            + " was paused), client 2's GET k answered anyway (" + (get.failure.get() != null ? "with " + get.failure.get()
            : "'" + get.result.get() + "'") + "): something other than the owner read the map. A GET must go"
            + " through the inbox like every other command.");
        assertTrue(secondRan.get() == null, "while the owner thread was busy with client 1's update, client 3's"
            + " update ran its change on thread '" + (secondRan.get() == null ? "" : secondRan.get().getName())
            + "': two commands ran at once. The owner serves one command at a time.");
        assertTrue(u != Await.Outcome.DONE, "client 3's update returned while the owner was busy with client 1's");
      } finally {
        gated.gate.countDown();
      }
      assertTrue(first.await(Duration.ofSeconds(3)) && get.await(Duration.ofSeconds(3)) && update.await(Duration.ofSeconds(3)),
          "once client 1's change returned, the waiting commands were not answered within 3 s");
      if (get.failure.get() != null) throw new AssertionError("client 2's GET k failed: " + get.failure.get(), get.failure.get());
      if (update.failure.get() != null) throw new AssertionError("client 3's update failed: " + update.failure.get(), update.failure.get());
      assertEquals("1", get.result.get(), "client 2's GET k was queued after client 1's update of k to 1");
      assertSame(owner, secondRan.get(), "client 1's change ran on '" + owner.getName() + "', client 3's on '"
          + secondRan.get().getName() + "': every command must run on the one owner thread");
      for (Thread t : List.of(first.thread, get.thread, update.thread)) {
        assertFalse(watch.touchers.contains(t), "the map was touched (through state()) by the caller's own thread '"
            + t.getName() + "': only the owner thread may touch it");
      }
      assertEquals(Set.of(owner), watch.touchers, "the map was touched by " + watch.names()
          + ": only the owner thread ('" + owner.getName() + "') may touch it");
    } finally {
      gated.gate.countDown();
      watch.closeStore();
    }
  }

  @Test
  @Order(3)
  @DisplayName("a change that throws fails only its own caller: the owner thread keeps serving")
  void failingChangeDoesNotKillTheOwner(ServerFactory factory) {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
        store.update("k", e -> value("v"));
        var boom = assertThrows(RuntimeException.class,
            () -> store.update("k", e -> { throw new IllegalStateException("boom"); }),
            "Store.update must rethrow the exception its change threw, in the caller's thread");
        assertTrue(boom instanceof IllegalStateException && "boom".equals(boom.getMessage()),
            "the change threw IllegalStateException(\"boom\"); the caller got " + boom
                + " instead (complete the reply exceptionally with what the change threw, at once)");
        assertEquals("v", text(store.get("k")), "a change that threw must leave the entry as it was");
      }, "the store did not answer within 5 s after a change threw: did the exception end the owner's loop?");
    } finally {
      watch.closeStore();
    }
  }

  /** The store's inbox, and a Get command for it, as a caller that raced close() would have sent. */
  @SuppressWarnings("unchecked")
  private static CompletableFuture<Entry> sendLateGet(Store store) throws Exception {
    BlockingQueue<Object> inbox = null;
    for (Field f : store.getClass().getDeclaredFields()) {
      if (BlockingQueue.class.isAssignableFrom(f.getType())) {
        f.setAccessible(true);
        inbox = (BlockingQueue<Object>) f.get(store);
      }
    }
    Class<?> get = null;
    for (Class<?> c : store.getClass().getDeclaredClasses()) if (c.getSimpleName().equals("Get")) get = c;
    if (inbox == null || get == null) {
      fail("the tests send a command straight to the inbox (as a caller that raced close() would): keep the"
          + " BlockingQueue inbox field and the Get record of the starter");
    }
    var reply = new CompletableFuture<Entry>();
    var ctor = get.getDeclaredConstructor(String.class, CompletableFuture.class);
    ctor.setAccessible(true);
    inbox.add(ctor.newInstance("late", reply));
    return reply;
  }

  @Test
  @Order(4)
  @DisplayName("close() waits for the owner, then fails what is still queued at once; calls after close fail at once")
  void closeFailsQueuedAndLaterCallers(ServerFactory factory) throws Exception {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    var gated = new GatedChange(value("1"));
    var busy = new Call<>("client-1-update", () -> store.update("k", gated));
    try {
      if (!gated.entered.await(3, TimeUnit.SECONDS)) fail("update(k, change) never ran its change within 3 s");
      Thread owner = gated.ranOn.get();
      var queued = new Call<>("client-2-GET-before-close", () -> text(store.get("k")));
      assertEquals(Await.Outcome.PARKED, Await.parkedOrDone(queued.thread, queued.done::get, Duration.ofSeconds(1)),
          "a GET sent while the owner was busy did not wait for it");
      var closing = new Call<>("closes-the-store", () -> {
        store.close();
        return null;
      });
      Await.Outcome c = Await.parkedOrDone(closing.thread, closing.done::get, Duration.ofSeconds(1));
      assertTrue(c != Await.Outcome.DONE, "close() returned while the owner thread was still busy with a command"
          + (closing.failure.get() != null ? " (it threw " + closing.failure.get() + ")" : "")
          + ": close must wait (a bounded time: owner.join(REPLY_TIMEOUT)) for the owner to finish and stop");
      long t0 = System.nanoTime();
      var later = assertThrows(StoreException.class, () -> store.get("after"),
          "a GET after close() was called must fail with a StoreException");
      assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500),
          "a GET after close() was called failed only after " + (System.nanoTime() - t0) / 1_000_000 + " ms ("
              + later.getMessage() + "): it must fail at once");
      CompletableFuture<Entry> late = sendLateGet(store);
      gated.gate.countDown();
      assertTrue(closing.await(Duration.ofSeconds(3)), "close() did not return within 3 s once the owner's command finished");
      owner.join(1_000);
      assertFalse(owner.isAlive(), "the owner thread '" + owner.getName() + "' still runs after close() returned");
      try {
        late.get(1, TimeUnit.SECONDS);
        fail("a GET that reached the inbox after the owner's Stop was answered, by whom?");
      } catch (java.util.concurrent.ExecutionException expected) {
        // failed, as it should be
      } catch (java.util.concurrent.TimeoutException e) {
        fail("a GET that reached the inbox just after Stop (a caller racing close()) was never answered: its caller"
            + " waits its whole REPLY_TIMEOUT. After the owner ended, close() must fail the replies still queued.");
      }
      assertTrue(queued.await(Duration.ofSeconds(1)), "a GET queued before close() was still waiting 1 s after close()"
          + " returned: answer it, or fail it, but do not leave it to its own timeout");
      Throwable q = queued.failure.get();
      if (q != null && String.valueOf(q.getMessage()).contains("did not answer")) {
        fail("a GET queued before close() was left to its own timeout (" + q.getMessage() + "): answer it, or fail it");
      }
    } finally {
      gated.gate.countDown();
      busy.await(Duration.ofSeconds(3));
    }
  }

  @Test
  @Order(5)
  @DisplayName("an idle owner thread uses no CPU (it waits in take(), it does not spin)")
  void idleOwnerUsesNoCpu(ServerFactory factory) throws Exception {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    try {
      var ranOn = new AtomicReference<Thread>();
      store.update("k", e -> {
        ranOn.set(Thread.currentThread());
        return value("v");
      });
      store.get("k");
      Thread owner = ranOn.get();
      Thread.sleep(100); // let it settle into waiting
      // Compared with the whole JVM's CPU time over the same idle window, not with the clock: on a loaded
      // machine a spinning thread gets little CPU, but it is still most of what this idle JVM uses.
      long ownerBefore = Await.cpuNanos(owner);
      long processBefore = processCpu();
      long start = System.nanoTime();
      long ownerUsed;
      long processUsed;
      do {
        Thread.sleep(250);
        ownerUsed = ownerBefore >= 0 ? Await.cpuNanos(owner) - ownerBefore : -1;
        processUsed = processCpu() - processBefore;
      } while (processUsed < TimeUnit.MILLISECONDS.toNanos(40) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
      long window = (System.nanoTime() - start) / 1_000_000;
      if (ownerUsed >= 0) {
        // Either sign of spinning fails: a share of the JVM's CPU (a loaded machine), or 50 ms in the window.
        boolean spins = ownerUsed > TimeUnit.MILLISECONDS.toNanos(50)
            || (ownerUsed > TimeUnit.MILLISECONDS.toNanos(5) && ownerUsed > processUsed / 2);
        assertTrue(!spins, "with no command to"
            + " serve, the owner thread used " + ownerUsed / 1_000_000 + " ms of CPU in " + window + " ms, "
            + (100 * ownerUsed / Math.max(1, processUsed)) + "% of all this JVM used: it spins instead of waiting."
            + " inbox.take() blocks until a command arrives and costs nothing meanwhile.");
      } else {
        // A virtual owner thread: the JVM cannot tell its CPU time; an idle JVM uses little.
        assertTrue(processUsed < TimeUnit.MILLISECONDS.toNanos(40) * 4, "with no command to serve, this JVM used "
            + processUsed / 1_000_000 + " ms of CPU in " + window + " ms: does the owner thread spin?");
      }
    } finally {
      watch.closeStore();
    }
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  @Test
  @Order(6)
  @DisplayName("close() stops the owner thread within 2 s, and a call after close fails at once instead of hanging")
  void cleanShutdown(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch);
        var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
      assertEquals("OK", j.set("k", "v"));
      assertEquals("v", j.get("k"), "SET k v then GET k");
    }
    assertFalse(watch.touchers.isEmpty(), "the map was never touched through state(): route every access through it");
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

  @Test
  @Order(7)
  @DisplayName("close() waits a bounded time: an owner stuck in a change does not keep close() waiting past REPLY_TIMEOUT")
  void closeIsBounded(ServerFactory factory) throws Exception {
    var watch = new Watch();
    Store store = factory.newInstance(Store.class, watch);
    var stuck = new GatedChange(value("1")); // opened only after close() was given its time
    var busy = new Call<>("client-1-update-that-hangs", () -> store.update("k", stuck));
    try {
      if (!stuck.entered.await(3, TimeUnit.SECONDS)) fail("update(k, change) never ran its change within 3 s");
      var closing = new Call<>("closes-the-store", () -> {
        store.close();
        return null;
      });
      Duration limit = OwnerThreadStore.REPLY_TIMEOUT.plusMillis(1_500);
      assertTrue(closing.await(limit), "with the owner stuck in a change that does not return, close() was still"
          + " waiting " + limit.toMillis() + " ms later: wait a bounded time (owner.join(REPLY_TIMEOUT)), so that a"
          + " server's shutdown cannot hang on one bad command");
    } finally {
      stuck.gate.countDown();
      busy.await(Duration.ofSeconds(3));
    }
  }

  @Test
  @Order(8)
  @DisplayName("16 clients at once (INCR one counter 100 times each, SET and GET their own keys) all get the right answers")
  void manyClientsGetCorrectAnswers(ServerFactory factory) throws Exception {
    var watch = new Watch();
    try (KvServer server = factory.start(ServerConfig.ephemeral(), watch)) {
      Clients.run(CLIENTS, Duration.ofSeconds(12), (id, ready) -> {
        try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
          j.ping();
          ready.run();
          Pipeline p = j.pipelined();
          for (int i = 0; i < INCRS; i++) p.incr("counter");
          p.sync();
          assertEquals("OK", j.set("client:" + id, "value-" + id), "SET client:" + id);
          assertEquals("value-" + id, j.get("client:" + id), "client " + id + " sent SET then GET client:" + id);
        }
      });
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        assertEquals(String.valueOf(CLIENTS * INCRS), j.get("counter"),
            CLIENTS + " clients sent " + CLIENTS * INCRS + " INCR counter in all");
        assertEquals(1L, j.del("client:0"));
        assertNull(j.get("client:0"), "GET after DEL");
      }
      assertEquals(1, watch.touchers.size(), "the map was touched by " + watch.touchers.size() + " threads ("
          + watch.names() + "): only the owner thread may touch it");
    } finally {
      watch.closeStore();
    }
  }
}
