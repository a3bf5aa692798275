// WRONG: publish looks the channel's set up under the registry's lock, then copies it after releasing it (under the set's own monitor, which subscribe and unsubscribe never take): the copy iterates a LinkedHashSet another thread may be changing
// CAUGHT BY: changesToOneChannel (interleaving)
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

/**
 * Exercise 10: who subscribes to which channel, shared by every connection of the server. The starter
 * is a map behind one lock, and {@code publish} calls every receiver while holding it: one receiver
 * that is slow or stuck holds up every publisher, every subscribe and unsubscribe, and every other
 * channel. Keep the lock for the map; call the receivers without it.
 */
public final class Subscribers implements ChannelRegistry {
  private final Map<String, Set<Receiver>> channels = new HashMap<>();

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
  public synchronized boolean subscribe(String channel, Receiver receiver) {
    return channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(receiver);
  }

  @Override
  public synchronized boolean unsubscribe(String channel, Receiver receiver) {
    Set<Receiver> set = channels.get(channel);
    if (set == null || !set.remove(receiver)) return false;
    if (set.isEmpty()) channels.remove(channel);
    return true;
  }

  @Override
  public int publish(String channel, byte[] message) {
    Set<Receiver> set;
    synchronized (this) {
      set = channels.get(channel); // the map needs the lock; the set is ours once we have it
    }
    if (set == null) return 0;
    List<Receiver> now;
    synchronized (set) {
      now = List.copyOf(set);
    }
    for (Receiver r : now) r.receive(channel, message);
    return now.size();
  }

  @Override
  public synchronized List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  @Override
  public synchronized int subscribers(String channel) {
    Set<Receiver> set = channels.get(channel);
    return set == null ? 0 : set.size();
  }
}
