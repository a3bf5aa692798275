// RIGHT: writers (synchronized) replace an immutable map held in a volatile field; publish reads it with no lock
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
  private volatile Map<String, Set<Receiver>> channels = Map.of(); // replaced whole, never changed

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
    Set<Receiver> set = channels.getOrDefault(channel, Set.of());
    if (set.contains(receiver)) return false;
    var next = new HashMap<>(channels);
    var bigger = new LinkedHashSet<>(set);
    bigger.add(receiver);
    next.put(channel, java.util.Collections.unmodifiableSet(bigger));
    channels = Map.copyOf(next);
    return true;
  }

  @Override
  public synchronized boolean unsubscribe(String channel, Receiver receiver) {
    Set<Receiver> set = channels.get(channel);
    if (set == null || !set.contains(receiver)) return false;
    var next = new HashMap<>(channels);
    var smaller = new LinkedHashSet<>(set);
    smaller.remove(receiver);
    if (smaller.isEmpty()) next.remove(channel);
    else next.put(channel, java.util.Collections.unmodifiableSet(smaller));
    channels = Map.copyOf(next);
    return true;
  }

  /** The receivers of {@code channel} now: a copy, so nobody's later change shows through it. */
  private List<Receiver> receiversOf(String channel) {
    Set<Receiver> set = channels.get(channel); // one read of the volatile field: the map of one instant
    return set == null ? List.of() : List.copyOf(set);
  }

  @Override
  public int publish(String channel, byte[] message) {
    List<Receiver> now = receiversOf(channel);
    for (Receiver r : now) r.receive(channel, message); // no lock held: a stuck receiver stalls only this call
    return now.size();
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
