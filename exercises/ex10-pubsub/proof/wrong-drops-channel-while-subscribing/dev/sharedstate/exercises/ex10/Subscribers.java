// WRONG: a ConcurrentHashMap of CopyOnWriteArraySets, but unsubscribe drops the channel in three steps (remove, isEmpty, remove the channel): a SUBSCRIBE between them adds to the set being dropped, and is lost
// CAUGHT BY: changesToOneChannel (interleaving)
package dev.sharedstate.exercises.ex10;

import dev.sharedstate.kv.ConcurrentMapStore;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.Receiver;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

public final class Subscribers implements ChannelRegistry {
  private final ConcurrentHashMap<String, Set<Receiver>> channels = new ConcurrentHashMap<>();

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
    return channels.computeIfAbsent(channel, k -> new CopyOnWriteArraySet<>()).add(receiver);
  }

  @Override
  public boolean unsubscribe(String channel, Receiver receiver) {
    Set<Receiver> set = channels.get(channel);
    if (set == null || !set.remove(receiver)) return false;
    if (set.isEmpty()) channels.remove(channel); // a subscribe may have taken this set since it emptied
    return true;
  }

  @Override
  public int publish(String channel, byte[] message) {
    Set<Receiver> set = channels.get(channel);
    if (set == null) return 0;
    int count = 0;
    for (Receiver r : set) { // a CopyOnWriteArraySet's iterator walks the array of one instant
      r.receive(channel, message);
      count++;
    }
    return count;
  }

  @Override
  public List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  @Override
  public int subscribers(String channel) {
    Set<Receiver> set = channels.get(channel);
    return set == null ? 0 : set.size();
  }
}
