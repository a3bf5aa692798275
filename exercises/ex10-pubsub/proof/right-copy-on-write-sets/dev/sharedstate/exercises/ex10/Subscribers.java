// RIGHT: a ConcurrentHashMap of CopyOnWriteArraySets, changed in compute: a publish walks one instant's array, no lock
package dev.sharedstate.exercises.ex10;

import dev.sharedstate.kv.ConcurrentMapStore;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.Receiver;
import java.io.IOException;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

public final class Subscribers implements ChannelRegistry {
  private final java.util.concurrent.ConcurrentHashMap<String, CopyOnWriteArraySet<Receiver>> channels =
      new java.util.concurrent.ConcurrentHashMap<>();

  public Subscribers() {}

  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, registry -> {});
  }

  public static KvServer start(ServerConfig config, Consumer<ChannelRegistry> created) throws IOException {
    var registry = new Subscribers();
    created.accept(registry);
    return KvServer.start(config, new ConcurrentMapStore(), registry);
  }

  @Override
  public boolean subscribe(String channel, Receiver receiver) {
    boolean[] added = new boolean[1];
    channels.compute(channel, (k, set) -> {
      if (set == null) set = new CopyOnWriteArraySet<>();
      added[0] = set.add(receiver);
      return set;
    });
    return added[0];
  }

  @Override
  public boolean unsubscribe(String channel, Receiver receiver) {
    boolean[] removed = new boolean[1];
    channels.computeIfPresent(channel, (k, set) -> {
      removed[0] = set.remove(receiver);
      return set.isEmpty() ? null : set;
    });
    return removed[0];
  }

  @Override
  public int publish(String channel, byte[] message) {
    var set = channels.get(channel);
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
    var set = channels.get(channel);
    return set == null ? 0 : set.size();
  }
}
