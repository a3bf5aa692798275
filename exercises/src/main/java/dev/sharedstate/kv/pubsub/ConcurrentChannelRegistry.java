package dev.sharedstate.kv.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own {@link ChannelRegistry}: a {@code ConcurrentHashMap} of channels to immutable sets of
 * receivers, replaced whole under the map's per-bin lock ({@code compute}), so that a publish reads one
 * set, the subscribers at one instant, and calls them with no lock held.
 */
public final class ConcurrentChannelRegistry implements ChannelRegistry {
  private final ConcurrentHashMap<String, Set<Receiver>> channels = new ConcurrentHashMap<>();

  @Override
  public boolean subscribe(String channel, Receiver receiver) {
    boolean[] added = new boolean[1];
    channels.compute(channel, (k, set) -> {
      if (set == null) set = Set.of();
      if (set.contains(receiver)) return set;
      added[0] = true;
      var bigger = new ArrayList<>(set);
      bigger.add(receiver);
      return Set.copyOf(bigger);
    });
    return added[0];
  }

  @Override
  public boolean unsubscribe(String channel, Receiver receiver) {
    boolean[] removed = new boolean[1];
    channels.computeIfPresent(channel, (k, set) -> {
      if (!set.contains(receiver)) return set;
      removed[0] = true;
      var smaller = new ArrayList<>(set);
      smaller.remove(receiver);
      return smaller.isEmpty() ? null : Set.copyOf(smaller);
    });
    return removed[0];
  }

  @Override
  public int publish(String channel, byte[] message) {
    Set<Receiver> now = channels.getOrDefault(channel, Set.of());
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
