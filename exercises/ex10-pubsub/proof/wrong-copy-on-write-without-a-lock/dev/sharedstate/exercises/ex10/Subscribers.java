// WRONG: copy-on-write of an immutable map in a volatile field, but subscribe and unsubscribe read, copy and publish it with no lock or compareAndSet: two at once each publish their own copy, and one change is lost
// CAUGHT BY: changesToOneChannel (interleaving)
package dev.sharedstate.exercises.ex10;

import java.util.HashSet;
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
  private volatile Map<String, Set<Receiver>> channels = Map.of();

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
    Map<String, Set<Receiver>> copy = new HashMap<>(channels);
    Set<Receiver> set = new HashSet<>(copy.getOrDefault(channel, Set.of()));
    if (!set.add(receiver)) return false;
    copy.put(channel, Set.copyOf(set));
    channels = Map.copyOf(copy);
    return true;
  }

  @Override
  public boolean unsubscribe(String channel, Receiver receiver) {
    Map<String, Set<Receiver>> copy = new HashMap<>(channels);
    Set<Receiver> set = new HashSet<>(copy.getOrDefault(channel, Set.of()));
    if (!set.remove(receiver)) return false;
    if (set.isEmpty()) copy.remove(channel);
    else copy.put(channel, Set.copyOf(set));
    channels = Map.copyOf(copy);
    return true;
  }

  @Override
  public int publish(String channel, byte[] message) {
    Set<Receiver> now = channels.getOrDefault(channel, Set.of()); // an immutable snapshot
    for (Receiver r : now) r.receive(channel, message);
    return now.size();
  }

  @Override
  public List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  @Override
  public int subscribers(String channel) {
    return channels.getOrDefault(channel, Set.of()).size();
  }
}
