package dev.sharedstate.kv.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One connection's subscriptions. Its channel and pattern sets are changed only by the connection's
 * own thread; messages reach the client through its {@link Outbox}. As a {@link Receiver} it only
 * queues: it never waits for its client.
 */
public final class Subscriber implements Receiver {
  private final PubSub registry;
  private final Outbox outbox;
  private final Set<String> channels = new LinkedHashSet<>();
  private final Set<String> patterns = new LinkedHashSet<>();
  // Copies of the sizes for other connections' threads (CLIENT LIST); the sets are this connection's.
  private volatile int channelCount;
  private volatile int patternCount;

  public Subscriber(PubSub registry, Outbox outbox) {
    this.registry = registry;
    this.outbox = outbox;
  }

  public Outbox outbox() {
    return outbox;
  }

  @Override
  public void receive(String channel, byte[] message) {
    outbox.offer(PubSub.frame("message", null, channel, message));
  }

  /** Channels plus patterns: what Redis's subscribe replies count. */
  public int count() {
    return channels.size() + patterns.size();
  }

  public Set<String> channels(boolean pattern) {
    return pattern ? patterns : channels;
  }

  /** How many channels, then patterns; safe to read from any thread. */
  public int channelCount() {
    return channelCount;
  }

  public int patternCount() {
    return patternCount;
  }

  private void counted() {
    channelCount = channels.size();
    patternCount = patterns.size();
  }

  /** Subscribes; false if it already was. */
  public boolean subscribe(boolean pattern, String name) {
    if (!channels(pattern).add(name)) return false;
    registry.add(pattern, name, this);
    counted();
    return true;
  }

  /** Unsubscribes; false if it was not subscribed. */
  public boolean unsubscribe(boolean pattern, String name) {
    if (!channels(pattern).remove(name)) return false;
    registry.remove(pattern, name, this);
    counted();
    return true;
  }

  /** Leaves every channel and pattern (the connection is closing). */
  public void unsubscribeAll() {
    for (String c : channels) registry.remove(false, c, this);
    for (String p : patterns) registry.remove(true, p, this);
    channels.clear();
    patterns.clear();
    counted();
  }
}
