// WRONG: subscribers(channel) looks the channel up in the HashMap without the lock that subscribe and unsubscribe change it under (PUBSUB NUMSUB can see the map half-resized)
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

/**
 * Reference for exercise 10: the channels' subscribers in a map behind one lock, held only for map
 * operations. {@code publish} copies the channel's receivers under the lock and calls them after
 * releasing it, so a receiver that never returns holds up only the publish that called it.
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

  /** The receivers of {@code channel} now: a copy, so nobody's later change shows through it. */
  private synchronized List<Receiver> receiversOf(String channel) {
    Set<Receiver> set = channels.get(channel);
    return set == null ? List.of() : List.copyOf(set);
  }

  @Override
  public int publish(String channel, byte[] message) {
    List<Receiver> now = receiversOf(channel);
    for (Receiver r : now) r.receive(channel, message); // no lock held: a stuck receiver stalls only this call
    return now.size();
  }

  @Override
  public synchronized List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  @Override
  public int subscribers(String channel) { // unlocked: looks the channel up while another thread may change the map
    Set<Receiver> set = channels.get(channel);
    return set == null ? 0 : set.size();
  }
}
