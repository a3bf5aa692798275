// WRONG: close() waits for the owner with join() and no time limit: an owner stuck in a change keeps close() (and the server's shutdown) waiting forever; the README asks for a bounded wait
// CAUGHT BY: closeIsBounded (forced schedule)
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

/**
 * Exercise 6: an owner thread. No lock at all: one thread owns the map, and the connections' threads
 * send it commands (the sealed {@link Command} records) through a {@link BlockingQueue}, each with a
 * {@link CompletableFuture} for the reply. {@link #get} and {@link #update} are written: they send a
 * command and wait for its reply. The owner's loop and {@link #close} are yours to write.
 */
public final class OwnerThreadStore implements Store {
  /** How long a caller waits for the owner's reply before giving up with an error instead of hanging. */
  public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);

  /** What the tests watch. Leave the calls to it where they are. */
  public interface Probe {
    /** Called once with the new store, so that whoever started the server can close it. */
    default void created(Store store) {}

    /** Called on the thread that is about to read or write the map (see {@link #state()}). */
    default void touched() {}

    /** A probe that watches nothing. */
    static Probe none() {
      return new Probe() {};
    }
  }

  /** The messages the owner understands: a closed set, so a {@code switch} over them needs no default. */
  sealed interface Command permits Get, Update, Stop {}

  /** Reply with the entry under {@code key} (null if none). */
  record Get(String key, CompletableFuture<Entry> reply) implements Command {}

  /** Apply {@code change} to the entry under {@code key} as {@link Store#update} says; reply with its result. */
  record Update(String key, UnaryOperator<Entry> change, CompletableFuture<Entry> reply) implements Command {}

  /** Leave the loop: the store is closing. */
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

  /** Starts the server; {@code probe} sees the store and every access to its map. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config, Probe probe) throws IOException {
    return KvServer.start(config, new OwnerThreadStore(probe));
  }

  /** Starts the server (for {@code ./exercises/server ex06}). */
  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, Probe.none());
  }

  /** The map. Every read and write goes through here, so the tests can see which thread makes it. */
  private Map<String, Entry> state() {
    probe.touched();
    return map;
  }

  /** The owner thread's whole life. */
  private void serve() {
    while (true) {
      Command command;
      try {
        command = inbox.take();
      } catch (InterruptedException e) {
        return;
      }
      switch (command) {
        case Get g -> g.reply().complete(state().get(g.key()));
        case Update u -> {
          try {
            Entry next = u.change().apply(state().get(u.key()));
            if (next == null) state().remove(u.key());
            else state().put(u.key(), next);
            u.reply().complete(next);
          } catch (RuntimeException e) {
            u.reply().completeExceptionally(e);
          }
        }
        case Stop s -> {
          return;
        }
      }
    }
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

  /** Waits (bounded) for the owner's reply; a change's exception is rethrown as the caller's own. */
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
      owner.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Command c; (c = inbox.poll()) != null; ) {
      switch (c) {
        case Get g -> g.reply().completeExceptionally(new StoreException("the store is closed"));
        case Update u -> u.reply().completeExceptionally(new StoreException("the store is closed"));
        case Stop s -> {}
      }
    }
  }
}
