package dev.sharedstate.kv.pubsub;

import dev.sharedstate.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's subscriber registry: who listens to which channel and pattern. Shared by every
 * connection. A publisher only ever enqueues (each subscriber has its own {@link Outbox}, drained by
 * its own thread), so a slow or stuck subscriber never blocks a publisher or the other subscribers.
 */
public final class PubSub {
  private final ConcurrentHashMap<String, Set<Subscriber>> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Subscriber>> patterns = new ConcurrentHashMap<>();

  void add(boolean pattern, String name, Subscriber s) {
    (pattern ? patterns : channels).compute(name, (k, set) -> {
      if (set == null) set = ConcurrentHashMap.newKeySet();
      set.add(s);
      return set;
    });
  }

  void remove(boolean pattern, String name, Subscriber s) {
    (pattern ? patterns : channels).computeIfPresent(name, (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  /** Sends {@code message} to every subscriber of {@code channel}; returns how many received it. */
  public long publish(String channel, byte[] message) {
    long receivers = 0;
    Set<Subscriber> direct = channels.get(channel);
    if (direct != null && !direct.isEmpty()) {
      byte[] frame = frame("message", null, channel, message);
      for (Subscriber s : direct) {
        s.outbox().offer(frame);
        receivers++;
      }
    }
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
    for (String c : channels.keySet()) if (pattern == null || Glob.matches(pattern, c)) out.add(c);
    return out;
  }

  /** How many connections subscribe to {@code channel}. */
  public long subscribers(String channel) {
    Set<Subscriber> s = channels.get(channel);
    return s == null ? 0 : s.size();
  }

  /** How many patterns are subscribed to, over all connections. */
  public long patternCount() {
    long n = 0;
    for (Set<Subscriber> s : patterns.values()) n += s.size();
    return n;
  }

  private static byte[] frame(String kind, String pattern, String channel, byte[] message) {
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
