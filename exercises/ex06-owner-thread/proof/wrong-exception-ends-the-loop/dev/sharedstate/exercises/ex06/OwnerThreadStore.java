// WRONG: a change that throws is not caught: the exception ends the owner's loop, and every later call times out
// CAUGHT BY: failingChangeDoesNotKillTheOwner (sequential check)
package dev.sharedstate.exercises.ex06;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

public final class OwnerThreadStore implements Store {
  public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);

  public interface Probe {
    default void created(Store store) {}

    default void touched() {}

    static Probe none() {
      return new Probe() {};
    }
  }

  sealed interface Command permits Get, Update, Stop {}

  record Get(String key, CompletableFuture<Entry> reply) implements Command {}

  record Update(String key, UnaryOperator<Entry> change, CompletableFuture<Entry> reply) implements Command {}

  record Stop() implements Command {}

  private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
  private final Map<String, Entry> map = new HashMap<>(); // only the owner thread may touch it
  private final Probe probe;
  private final Thread owner;
  private volatile boolean closed;

  public OwnerThreadStore(Probe probe) {
    this.probe = probe;
    this.owner = Thread.ofPlatform().daemon().name("ex06-owner").start(this::serve);
    probe.created(this);
  }

  public static KvServer start(ServerConfig config, Probe probe) throws IOException {
    return KvServer.start(config, new OwnerThreadStore(probe));
  }

  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, Probe.none());
  }

  private Map<String, Entry> state() {
    probe.touched();
    return map;
  }

  private void serve() {
    while (true) {
      Command command;
      try {
        command = inbox.take();
      } catch (InterruptedException e) {
        return; // nobody else interrupts the owner; if someone does, stop as for Stop
      }
      switch (command) {
        case Get g -> g.reply().complete(state().get(g.key()));
        case Update u -> apply(u);
        case Stop s -> {
          return;
        }
      }
    }
  }

  private void apply(Update u) {
    Entry next = u.change().apply(state().get(u.key()));
    if (next == null) state().remove(u.key());
    else state().put(u.key(), next);
    u.reply().complete(next);
  }

  @Override
  public Entry get(String key) {
    var reply = new CompletableFuture<Entry>();
    send(new Get(key, reply));
    return await(reply, "GET " + key);
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    var reply = new CompletableFuture<Entry>();
    send(new Update(key, change, reply));
    return await(reply, "an update of " + key);
  }

  private void send(Command command) {
    if (closed) throw new StoreException("the store is closed");
    if (!owner.isAlive()) throw new StoreException("the owner thread is not running (did its loop return?)");
    inbox.add(command);
  }

  private static Entry await(CompletableFuture<Entry> reply, String what) {
    try {
      return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StoreException("the owner thread did not answer " + what + " within "
          + REPLY_TIMEOUT.toSeconds() + " s (is its loop running?)");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new StoreException(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the owner thread", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    inbox.add(new Stop());
    try {
      owner.join(REPLY_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Sent after Stop (or by a caller that checked `closed` just before it was set): never to be served.
    for (Command c; (c = inbox.poll()) != null; ) {
      switch (c) {
        case Get g -> g.reply().completeExceptionally(new StoreException("the store is closed"));
        case Update u -> u.reply().completeExceptionally(new StoreException("the store is closed"));
        case Stop s -> {}
      }
    }
  }
}
