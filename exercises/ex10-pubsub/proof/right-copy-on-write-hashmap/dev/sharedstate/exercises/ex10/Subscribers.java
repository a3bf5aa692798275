// RIGHT: writers (synchronized) build a new HashMap of new sets and put it in a volatile field; nothing in the field is changed again, so readers need no lock
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
  private volatile Map<String, Set<Receiver>> channels = new HashMap<>(); // replaced whole; never changed once in the field

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
    Map<String, Set<Receiver>> next = new HashMap<>(channels);
    Set<Receiver> bigger = new LinkedHashSet<>(set);
    bigger.add(receiver);
    next.put(channel, bigger);
    channels = next; // the volatile write publishes next and bigger, both finished
    return true;
  }

  @Override
  public synchronized boolean unsubscribe(String channel, Receiver receiver) {
    Set<Receiver> set = channels.get(channel);
    if (set == null || !set.contains(receiver)) return false;
    Map<String, Set<Receiver>> next = new HashMap<>(channels);
    Set<Receiver> smaller = new LinkedHashSet<>(set);
    smaller.remove(receiver);
    if (smaller.isEmpty()) next.remove(channel);
    else next.put(channel, smaller);
    channels = next;
    return true;
  }

  @Override
  public int publish(String channel, byte[] message) {
    Set<Receiver> set = channels.get(channel); // one read of the field: a map nobody changes any more
    List<Receiver> now = set == null ? List.of() : List.copyOf(set);
    for (Receiver r : now) r.receive(channel, message);
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
