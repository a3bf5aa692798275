package dev.sharedstate.kv.pubsub;

import dev.sharedstate.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's subscriber registry: who listens to which channel and pattern. Shared by every
 * connection. Channels are kept by a {@link ChannelRegistry} (the server's own, or an exercise's),
 * patterns here. A publisher only ever enqueues (each subscriber has its own {@link Outbox}, drained by
 * its own thread), so a slow or stuck subscriber never blocks a publisher or the other subscribers.
 */
public final class PubSub {
  private final ChannelRegistry channels;
  private final ConcurrentHashMap<String, Set<Subscriber>> patterns = new ConcurrentHashMap<>();

  /** With the server's own channel registry. */
  public PubSub() {
    this(new ConcurrentChannelRegistry());
  }

  public PubSub(ChannelRegistry channels) {
    this.channels = java.util.Objects.requireNonNull(channels, "channels");
  }

  void add(boolean pattern, String name, Subscriber s) {
    if (!pattern) {
      channels.subscribe(name, s);
      return;
    }
    patterns.compute(name, (k, set) -> {
      if (set == null) set = ConcurrentHashMap.newKeySet();
      set.add(s);
      return set;
    });
  }

  void remove(boolean pattern, String name, Subscriber s) {
    if (!pattern) {
      channels.unsubscribe(name, s);
      return;
    }
    patterns.computeIfPresent(name, (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  /** Sends {@code message} to every subscriber of {@code channel}; returns how many received it. */
  public long publish(String channel, byte[] message) {
    long receivers = channels.publish(channel, message);
    for (var e : patterns.entrySet()) {
      if (!Glob.matches(e.getKey(), channel)) continue;
      byte[] frame = frame("pmessage", e.getKey(), channel, message);
      for (Subscriber s : e.getValue()) {
        s.outbox().offer(frame);
        receivers++;
      }
    }
    return receivers;
  }

  /** Channels with at least one subscriber, matching {@code pattern} (null: all). */
  public List<String> channels(String pattern) {
    var out = new ArrayList<String>();
    for (String c : channels.channels()) if (pattern == null || Glob.matches(pattern, c)) out.add(c);
    return out;
  }

  /** How many connections subscribe to {@code channel}. */
  public long subscribers(String channel) {
    return channels.subscribers(channel);
  }

  /** How many patterns are subscribed to, over all connections. */
  public long patternCount() {
    long n = 0;
    for (Set<Subscriber> s : patterns.values()) n += s.size();
    return n;
  }

  static byte[] frame(String kind, String pattern, String channel, byte[] message) {
    var w = new RespWriter(null);
    w.array(pattern == null ? 3 : 4);
    w.bulk(kind);
    if (pattern != null) w.bulk(pattern);
    w.bulk(channel);
    w.bulk(message);
    return w.toByteArray();
  }

  static String text(String latin1) {
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
