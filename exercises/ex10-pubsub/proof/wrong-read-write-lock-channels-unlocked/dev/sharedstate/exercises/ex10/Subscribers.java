// WRONG: a read-write lock, writers under its write lock and publish under its read lock, but channels() copies the key set with neither
// CAUGHT BY: readsHoldTheWritersLock (locks held, call by call)
package dev.sharedstate.exercises.ex10;

import dev.sharedstate.kv.ConcurrentMapStore;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.Receiver;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

public final class Subscribers implements ChannelRegistry {
  private final Map<String, Set<Receiver>> channels = new HashMap<>();
  private final java.util.concurrent.locks.ReentrantReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();

  public Subscribers() {}

  /** Starts the server with a registry of this class. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, registry -> {});
  }

  /** Starts the server and hands its registry to {@code created} first (the tests add receivers of their own). */
  public static KvServer start(ServerConfig config, Consumer<ChannelRegistry> created) throws IOException {
    var registry = new Subscribers();
    created.accept(registry);
    return KvServer.start(config, new ConcurrentMapStore(), registry);
  }

  @Override
  public boolean subscribe(String channel, Receiver receiver) {
    lock.writeLock().lock();
    try {
      return channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(receiver);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean unsubscribe(String channel, Receiver receiver) {
    lock.writeLock().lock();
    try {
      Set<Receiver> set = channels.get(channel);
      if (set == null || !set.remove(receiver)) return false;
      if (set.isEmpty()) channels.remove(channel);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The receivers of {@code channel} now: a copy, so nobody's later change shows through it. */
  private List<Receiver> receiversOf(String channel) {
    lock.readLock().lock();
    try {
      Set<Receiver> set = channels.get(channel);
      return set == null ? List.of() : List.copyOf(set);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int publish(String channel, byte[] message) {
    List<Receiver> now = receiversOf(channel);
    for (Receiver r : now) r.receive(channel, message); // no lock held: a stuck receiver stalls only this call
    return now.size();
  }

  @Override
  public List<String> channels() {
    return List.copyOf(channels.keySet()); // no read lock: "a copy is quick, and only PUBSUB CHANNELS calls it"
  }

  @Override
  public int subscribers(String channel) {
    lock.readLock().lock();
    try {
      Set<Receiver> set = channels.get(channel);
      return set == null ? 0 : set.size();
    } finally {
      lock.readLock().unlock();
    }
  }
}
