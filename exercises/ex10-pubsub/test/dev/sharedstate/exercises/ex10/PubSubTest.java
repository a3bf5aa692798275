package dev.sharedstate.exercises.ex10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.exercises.grading.Await;
import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.MapGuard;
import dev.sharedstate.exercises.grading.RedisCli;
import dev.sharedstate.exercises.grading.RegistryCheck;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.exercises.grading.Stacks;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.Receiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Tests the README's rules: the registry's bookkeeping, a stuck receiver that holds up nobody but the
 * publish that called it, unsubscribing during a publish, publish counts and deliveries checked against
 * a one-call-at-a-time specification by Lincheck, and Jedis clients through the server.
 */
@DisplayName("ex10 pub/sub")
@Exercise(id = "ex10-pubsub", chapter = "chapters/07-lock-across-a-blocking-call.md#the-same-bug-in-a-publisher", starter = Subscribers.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PubSubTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A receiver that keeps what it got, as text. */
  static final class Inbox implements Receiver {
    final String name;
    final List<String> got = new CopyOnWriteArrayList<>();

    Inbox(String name) {
      this.name = name;
    }

    @Override
    public void receive(String channel, byte[] message) {
      got.add(channel + ":" + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A receiver that, once {@link #close} is not yet called, never returns: a client that stopped reading. */
  static final class Stuck implements Receiver, AutoCloseable {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> got = new CopyOnWriteArrayList<>();

    @Override
    public void receive(String channel, byte[] message) {
      got.add(channel + ":" + new String(message, StandardCharsets.UTF_8));
      entered.countDown();
      try {
        release.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      release.countDown();
    }
  }

  /** Runs {@code body} on a daemon platform thread, keeping what it returns or throws. */
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

    T get(String what) {
      if (failure.get() != null) throw new AssertionError(what + " threw " + failure.get(), failure.get());
      return result.get();
    }
  }

  @Test
  @Order(1)
  @DisplayName("subscribe, unsubscribe, publish: counts, deliveries, channels() and subscribers()")
  void bookkeeping(ServerFactory factory) {
    ChannelRegistry registry = factory.newInstance(ChannelRegistry.class);
    var a = new Inbox("a");
    var b = new Inbox("b");
    assertEquals(0, registry.publish("news", bytes("nobody")), "PUBLISH to a channel nobody subscribes to");
    assertTrue(registry.subscribe("news", a), "subscribe(news, a) the first time returns true");
    assertFalse(registry.subscribe("news", a), "subscribe(news, a) again returns false (already subscribed)");
    assertTrue(registry.subscribe("news", b), "subscribe(news, b)");
    assertTrue(registry.subscribe("sports", b), "subscribe(sports, b)");
    assertEquals(2, registry.publish("news", bytes("1")), "PUBLISH news with a and b subscribed returns 2");
    assertEquals(List.of("news:1"), a.got, "what a got, once publish returned");
    assertEquals(List.of("news:1"), b.got, "what b got, once publish returned");
    assertEquals(2, registry.subscribers("news"), "subscribers(news)");
    assertEquals(List.of("news", "sports"), registry.channels().stream().sorted().toList(), "channels()");
    assertTrue(registry.unsubscribe("news", a), "unsubscribe(news, a) returns true");
    assertFalse(registry.unsubscribe("news", a), "unsubscribe(news, a) again returns false");
    assertFalse(registry.unsubscribe("nosuchchannel", a), "unsubscribe from a channel never subscribed to returns false");
    assertEquals(1, registry.publish("news", bytes("2")), "PUBLISH news once a left");
    assertEquals(List.of("news:1"), a.got, "a unsubscribed from news: a publish that starts after unsubscribe returned must not reach it");
    assertEquals(List.of("news:1", "news:2"), b.got, "b is still subscribed to news");
    assertTrue(registry.unsubscribe("news", b), "unsubscribe(news, b)");
    assertEquals(List.of("sports"), registry.channels(), "channels() lists only channels that still have a subscriber");
    assertEquals(0, registry.subscribers("news"), "subscribers(news) once everybody left");
  }

  @Test
  @Order(2)
  @DisplayName("forced schedule: while a publish is stuck in a receiver, other publishes, subscribes, unsubscribes and queries go on")
  void stuckReceiverBlocksNobodyElse(ServerFactory factory) throws Exception {
    ChannelRegistry registry = factory.newInstance(ChannelRegistry.class);
    var other = new Inbox("other");
    var late = new Inbox("late");
    try (var stuck = new Stuck()) {
      registry.subscribe("news", stuck);
      registry.subscribe("sports", other);
      Run<Integer> publisher = new Run<>("PUBLISH news (stuck in a receiver)", () -> registry.publish("news", bytes("first")));
      assertTrue(stuck.entered.await(5, TimeUnit.SECONDS), "publish(news) never called news's receiver: " + publisher.failure.get());
      if (Await.parkedOrDone(publisher.thread, publisher.done::get, Duration.ofSeconds(5)) == Await.Outcome.DONE) {
        fail("PUBLISH news returned " + publisher.result.get() + " while its receiver had not finished receiving: publish must"
            + " hand the message to every receiver it counts before it returns (as PUBLISH in Redis replies once the message"
            + " is in every subscriber's buffer). Delivering on other threads also lets one subscriber's messages overtake"
            + " each other.");
      }
      Map<String, Supplier<Object>> others = new java.util.LinkedHashMap<>();
      others.put("PUBLISH sports (another channel, another receiver)", () -> registry.publish("sports", bytes("go")));
      others.put("SUBSCRIBE news (another receiver)", () -> registry.subscribe("news", late));
      others.put("PUBSUB NUMSUB news", () -> registry.subscribers("news"));
      others.put("PUBSUB CHANNELS", () -> registry.channels());
      others.put("UNSUBSCRIBE news (the other receiver)", () -> registry.unsubscribe("news", late));
      others.put("UNSUBSCRIBE news (the stuck receiver itself)", () -> registry.unsubscribe("news", stuck));
      for (var e : others.entrySet()) {
        Run<Object> r = new Run<>(e.getKey(), e.getValue());
        if (Await.parkedOrDone(r.thread, r.done::get, Duration.ofSeconds(5)) != Await.Outcome.DONE) {
          fail("a receiver of news never returns (its client stopped reading) and a PUBLISH news is stuck in it; then "
              + e.getKey() + " waited too. The registry's lock is held while receivers are called: one stuck client"
              + " stops every publisher and subscriber. Call the receivers after releasing the lock:\n"
              + Stacks.of(r.thread) + "\n  the stuck PUBLISH:\n" + Stacks.of(publisher.thread));
        }
        r.get(e.getKey());
      }
      assertEquals(List.of("sports:go"), other.got, "the receiver of sports, once PUBLISH sports returned");
      assertEquals(List.of(), late.got, "a receiver that joined and left news during the stuck publish");
      stuck.close();
      assertTrue(Await.until(publisher.done::get, Duration.ofSeconds(5)), "the stuck PUBLISH did not finish once its receiver returned");
      publisher.get("the PUBLISH news that was stuck");
      assertEquals(0, registry.publish("news", bytes("second")), "PUBLISH news once its only receiver unsubscribed");
      assertEquals(List.of("news:first"), stuck.got, "an unsubscribed receiver gets nothing published after it left");
    }
  }

  @Test
  @Order(3)
  @DisplayName("forced schedule: unsubscribing during a publish, from a channel of several receivers, is safe")
  void unsubscribeDuringPublish(ServerFactory factory) throws Exception {
    ChannelRegistry registry = factory.newInstance(ChannelRegistry.class);
    var gate = new CountDownLatch(1);
    var entered = new CountDownLatch(1);
    var inboxes = new ArrayList<List<String>>();
    var receivers = new ArrayList<Receiver>();
    for (int i = 0; i < 4; i++) {
      var got = new CopyOnWriteArrayList<String>();
      inboxes.add(got);
      receivers.add((channel, message) -> {
        got.add(new String(message, StandardCharsets.UTF_8));
        entered.countDown();
        try {
          gate.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      registry.subscribe("news", receivers.get(i));
    }
    Run<Integer> publisher = new Run<>("PUBLISH news", () -> registry.publish("news", bytes("m1")));
    try {
      assertTrue(entered.await(5, TimeUnit.SECONDS), "publish(news) never called a receiver: " + publisher.failure.get());
      for (int i = 0; i < 4; i++) {
        int n = i;
        Run<Boolean> leave = new Run<>("UNSUBSCRIBE news", () -> registry.unsubscribe("news", receivers.get(n)));
        if (Await.parkedOrDone(leave.thread, leave.done::get, Duration.ofSeconds(5)) != Await.Outcome.DONE) {
          fail("while a PUBLISH news was in one of its receivers, an UNSUBSCRIBE news waited for it:\n" + Stacks.of(leave.thread));
        }
        assertTrue(leave.get("UNSUBSCRIBE news"), "unsubscribe of a subscribed receiver during a publish returns true");
      }
    } finally {
      gate.countDown();
    }
    assertTrue(Await.until(publisher.done::get, Duration.ofSeconds(5)), "the PUBLISH did not finish:\n" + Stacks.of(publisher.thread));
    if (publisher.failure.get() != null) {
      fail("every receiver of news unsubscribed while a PUBLISH news was delivering, and the PUBLISH then threw "
          + publisher.failure.get() + ": it walked the live set of receivers while others changed it. Publish from a"
          + " copy taken under the lock (or a set made for that, such as CopyOnWriteArraySet).");
    }
    int count = publisher.get("PUBLISH news");
    long reached = inboxes.stream().filter(g -> g.contains("m1")).count();
    assertEquals(count, reached, "the PUBLISH returned " + count + " but the message reached " + reached + " receivers");
    assertTrue(count >= 1, "the PUBLISH was delivering when they left, so it reached at least one receiver");
    assertEquals(0, registry.publish("news", bytes("m2")), "PUBLISH news once every receiver left");
    assertTrue(inboxes.stream().noneMatch(g -> g.contains("m2")), "a receiver that left got a later message");
    assertEquals(List.of(), registry.channels(), "channels() once every receiver left");
  }

  /**
   * A receiver with a chosen hashCode, ordered by id, whose {@code compareTo} stops on {@code release} the
   * first time it is called once {@code armed}. A HashSet (or HashMap) that gets a ninth key of one hashCode
   * in a bin, in a table of 64 or more, links the new node in and then turns the bin into a tree, comparing
   * the keys with {@code compareTo}, before it counts the new key in its size: this receiver stops a
   * subscribe right there, in the middle of changing the set, with the registry's lock held.
   */
  static final class Hashed implements Receiver, Comparable<Hashed> {
    final int id;
    final int hash;
    final AtomicBoolean armed;
    final CountDownLatch entered;
    final CountDownLatch release;
    final java.util.concurrent.atomic.AtomicInteger got = new java.util.concurrent.atomic.AtomicInteger();

    Hashed(int id, int hash, AtomicBoolean armed, CountDownLatch entered, CountDownLatch release) {
      this.id = id;
      this.hash = hash;
      this.armed = armed;
      this.entered = entered;
      this.release = release;
    }

    @Override
    public void receive(String channel, byte[] message) {
      got.incrementAndGet();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(Hashed o) {
      if (armed.compareAndSet(true, false)) {
        entered.countDown();
        try {
          release.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
      return "receiver " + id;
    }
  }

  @Test
  @Order(3)
  @DisplayName("forced schedule: a publish while a subscribe is in the middle of changing the channel's set waits or sees it before or after, never half-changed")
  void publishDuringSubscribe(ServerFactory factory) throws Exception {
    ChannelRegistry registry = factory.newInstance(ChannelRegistry.class);
    var armed = new AtomicBoolean();
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    int before = 0;
    for (int i = 1; i <= 32; i++, before++) registry.subscribe("news", new Hashed(100 + i, i, armed, entered, release));
    for (int i = 0; i < 8; i++, before++) registry.subscribe("news", new Hashed(i, 0, armed, entered, release));
    var ninth = new Hashed(8, 0, armed, entered, release); // a ninth receiver of hashCode 0: a HashSet makes that bin a tree
    armed.set(true);
    Run<Boolean> join = new Run<>("SUBSCRIBE news", () -> registry.subscribe("news", ninth));
    Run<Integer> publisher = null;
    try {
      assertTrue(Await.until(() -> entered.getCount() == 0 || join.done.get(), Duration.ofSeconds(5)),
          "a subscribe did not finish:\n" + Stacks.of(join.thread));
      if (entered.getCount() == 0) { // the subscribe is stopped inside the set's add (with the lock, if it takes one)
        publisher = new Run<>("PUBLISH news", () -> registry.publish("news", bytes("m")));
        if (Await.parkedOrDone(publisher.thread, publisher.done::get, Duration.ofSeconds(5)) == Await.Outcome.DONE) {
          if (publisher.failure.get() != null) {
            fail("a SUBSCRIBE news was under way, inside the channel's set (its add was adding a receiver, holding"
                + " the registry's lock), and a PUBLISH news at that moment threw " + publisher.failure.get() + ": it read"
                + " the set without the lock while the subscribe was changing it, and saw it half-changed (a HashSet"
                + " is not safe to read while another thread changes it). Copy the receivers under the same lock as"
                + " subscribe changes them (or keep immutable sets or maps and replace them whole).");
          }
          int count = publisher.get("PUBLISH news");
          assertTrue(count == before || count == before + 1, "a PUBLISH news while a SUBSCRIBE news (" + before
              + " receivers before it) was under way returned " + count + ": neither the receivers before it nor after");
        }
      }
    } finally {
      release.countDown();
    }
    assertTrue(Await.until(join.done::get, Duration.ofSeconds(5)), "the SUBSCRIBE did not finish:\n" + Stacks.of(join.thread));
    assertTrue(join.get("SUBSCRIBE news"), "subscribe of a new receiver returns true");
    if (publisher != null) {
      Run<Integer> p = publisher;
      assertTrue(Await.until(p.done::get, Duration.ofSeconds(5)), "the PUBLISH did not finish:\n" + Stacks.of(p.thread));
      if (p.failure.get() != null) {
        fail("a PUBLISH news, started while a SUBSCRIBE news was changing the channel's set, threw " + p.failure.get());
      }
    }
    assertEquals(before + 1, registry.publish("news", bytes("after")), "PUBLISH news once the subscribe returned");
    int counted = publisher != null && publisher.get("PUBLISH news") == before + 1 ? 1 : 0; // the PUBLISH counted it
    assertEquals(1 + counted, ninth.got.get(), "the receiver that subscribed must get each publish that counted it, once");
  }

  @Test
  @Order(4)
  @DisplayName("locks held, call by call: a plain map changed in place under a lock is read under that lock too (or replaced whole, never changed)")
  void readsHoldTheWritersLock(ServerFactory factory) throws Exception {
    // A read of a HashMap without the lock its writers hold is a data race that no schedule a test can force
    // shows (channel names are Strings: no test code runs inside the map's own put or resize), and a stress
    // run catches only by luck. Whether a lock is held is a property of each call, though: MapGuard swaps
    // the registry's plain maps for copies that note the locks held at every call, and this drive makes one
    // call at a time, from three threads, so the verdict is the same on every run.
    ChannelRegistry registry = factory.newInstance(ChannelRegistry.class);
    MapGuard guard = MapGuard.install(registry);
    var a = new Inbox("a");
    var b = new Inbox("b");
    Run<Boolean> first = new Run<>("SUBSCRIBE news", () -> registry.subscribe("news", a) && registry.subscribe("sports", a));
    first.thread.join(5_000);
    assertTrue(first.get("SUBSCRIBE news, SUBSCRIBE sports"), "subscribe of a new receiver returns true");
    Run<Boolean> second = new Run<>("SUBSCRIBE news", () -> registry.subscribe("news", b));
    second.thread.join(5_000);
    assertTrue(second.get("SUBSCRIBE news"), "subscribe of a new receiver returns true");
    assertEquals(List.of("news", "sports"), registry.channels().stream().sorted().toList(), "channels()");
    assertEquals(2, registry.subscribers("news"), "subscribers(news)");
    assertEquals(2, registry.publish("news", bytes("m")), "PUBLISH news with a and b subscribed");
    Run<Boolean> leave = new Run<>("UNSUBSCRIBE sports", () -> registry.unsubscribe("sports", a));
    leave.thread.join(5_000);
    assertTrue(leave.get("UNSUBSCRIBE sports"), "unsubscribe of a subscribed receiver returns true");
    assertEquals(List.of("news"), registry.channels(), "channels() once sports's only receiver left");
    assertEquals(0, registry.subscribers("sports"), "subscribers(sports) once its only receiver left");
    var unguarded = guard.unguardedRead();
    if (unguarded.isPresent()) fail(unguarded.get());
  }

  @Test
  @Order(5)
  @DisplayName("races: Lincheck tries the interleavings of SUBSCRIBE, UNSUBSCRIBE and PUBLISH (counts and deliveries)")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void linearizable(ServerFactory factory) {
    RegistryCheck.of("your registry", () -> factory.newInstance(ChannelRegistry.class))
        .learnerClass(factory.targetClass())
        .scenario("two receivers subscribe to a new channel at once", List.of(),
            List.of(List.of("sub news r0"), List.of("sub news r1")), List.of("pub news"))
        .scenario("a publish while another thread changes the channel's receivers", List.of("sub news r0", "sub news r1"),
            List.of(List.of("pub news"), List.of("unsub news r0", "sub news r2")), List.of("pub news"))
        .invocations(15)
        .check();
  }

  @Test
  @Order(6)
  @DisplayName("races on one channel: Lincheck tries more interleavings of two changes to its receivers (two SUBSCRIBEs; a SUBSCRIBE and the last UNSUBSCRIBE)")
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void changesToOneChannel(ServerFactory factory) {
    // Two changes to one channel's receivers can race where no gate reaches: inside the set's own add (a
    // LinkedHashSet's add writes a bucket, the tail of its linked list and its size, one by one), or between
    // an unsubscribe that finds the set empty and its removal of the channel, while a subscribe adds to the
    // set about to be dropped. The model checker pauses threads at every shared-memory step, inside those
    // calls too, and tries the interleavings in a fixed order (the same on every machine): these scenarios
    // are small, so a budget larger than linearizable's still costs little.
    RegistryCheck.of("your registry", () -> factory.newInstance(ChannelRegistry.class))
        .learnerClass(factory.targetClass())
        .scenario("two receivers subscribe at once to a channel that has one already", List.of("sub news r0"),
            List.of(List.of("sub news r1"), List.of("sub news r2")), List.of("pub news"))
        .scenario("the channel's last receiver unsubscribes while another receiver subscribes", List.of("sub news r0"),
            List.of(List.of("unsub news r0"), List.of("sub news r1")), List.of("pub news"))
        // A publish that copies the set while a subscribe adds to it: a copy made without the lock the add
        // holds (List.copyOf sizes its array, then walks the linked entries) reads the set mid-change.
        .scenario("a publish while another receiver subscribes to its channel", List.of("sub news r0", "sub news r1"),
            List.of(List.of("pub news"), List.of("sub news r2")), List.of("pub news"))
        // Found at 12 (the first: a ConcurrentHashMap of plain sets) and at 7 (the second: an emptied channel
        // dropped in three steps); 60 leaves room.
        .invocations(60)
        .check();
  }

  @Test
  @Order(7)
  @DisplayName("through the server: Jedis subscribers get what Jedis publishers send, (and redis-cli's, if installed) while another channel's PUBLISH is stuck")
  void clientsThroughTheServer(ServerFactory factory) throws Exception {
    var stuck = new Stuck();
    Consumer<ChannelRegistry> created = registry -> registry.subscribe("stuck", stuck);
    try (KvServer server = factory.start(ServerConfig.ephemeral(), created)) {
      int port = server.port();
      var messages = new LinkedBlockingQueue<String>();
      var subscribed = new CountDownLatch(1);
      var listener = new JedisPubSub() {
        @Override
        public void onSubscribe(String channel, int count) {
          subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
          messages.add(channel + ":" + message);
          if (message.equals("bye")) unsubscribe();
        }
      };
      Thread subscriber = Thread.ofPlatform().daemon().name("jedis-subscriber").start(() -> {
        try (var j = new Jedis("127.0.0.1", port, 10_000)) {
          j.subscribe(listener, "news");
        }
      });
      var stuckPublisher = new Jedis("127.0.0.1", port, 15_000);
      Run<Long> blocked = new Run<>("PUBLISH stuck", () -> stuckPublisher.publish("stuck", "hello"));
      try (var j = new Jedis("127.0.0.1", port, 3_000)) {
        assertTrue(stuck.entered.await(5, TimeUnit.SECONDS), "PUBLISH stuck never reached the test's receiver: " + blocked.failure.get());
        assertTrue(subscribed.await(5, TimeUnit.SECONDS), "a Jedis SUBSCRIBE news got no confirmation while a PUBLISH"
            + " to another channel was stuck in its receiver: the registry's lock is held while receivers are called");
        assertEquals(1L, j.publish("news", "hello"), "PUBLISH news with one Jedis subscriber, while PUBLISH stuck waits");
        assertEquals(List.of("news", "1"), List.of(j.pubsubNumSub("news").keySet().iterator().next(),
            String.valueOf(j.pubsubNumSub("news").get("news"))), "PUBSUB NUMSUB news");
        RedisCli.run(port, "publish", "news", "from-cli").ifPresent(out -> assertEquals("1", out, "redis-cli PUBLISH news"));
        assertEquals(1L, j.publish("news", "bye"), "PUBLISH news bye");
      } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
        fail("while a PUBLISH to one channel was stuck in its receiver, another client got no reply within 3 s: " + e.getMessage()
            + "\n" + Stacks.stuck());
      } finally {
        stuck.close();
      }
      assertEquals("news:hello", messages.poll(5, TimeUnit.SECONDS), "what the Jedis subscriber got first");
      if (RedisCli.installed()) assertEquals("news:from-cli", messages.poll(5, TimeUnit.SECONDS), "what it got from redis-cli");
      assertEquals("news:bye", messages.poll(5, TimeUnit.SECONDS), "what it got next");
      assertTrue(Await.until(blocked.done::get, Duration.ofSeconds(5)), "the stuck PUBLISH did not finish once its receiver returned");
      assertEquals(1L, blocked.get("PUBLISH stuck"), "PUBLISH stuck counts its one receiver");
      stuckPublisher.close();
      subscriber.join(5_000);
    }
  }
}
