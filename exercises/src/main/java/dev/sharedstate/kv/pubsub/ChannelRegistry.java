package dev.sharedstate.kv.pubsub;

import java.util.List;

/**
 * Who listens to which channel: the part of {@code PUBLISH}/{@code SUBSCRIBE} that every connection
 * shares. The server keeps patterns ({@code PSUBSCRIBE}) itself and asks a registry for the rest, so a
 * registry of one's own (the pub/sub exercise's) plugs in through {@link
 * dev.sharedstate.kv.KvServer#start(dev.sharedstate.kv.ServerConfig, dev.sharedstate.kv.Store,
 * ChannelRegistry)}.
 *
 * <p>Every method may be called by many threads at once. A {@link Receiver} may be slow, or stuck for
 * good (a client that stopped reading): a registry must not let one receiver hold up a publisher, the
 * other receivers, or anyone subscribing and unsubscribing meanwhile.
 */
public interface ChannelRegistry {

  /** Adds {@code receiver} to the subscribers of {@code channel}; false if it already was one. */
  boolean subscribe(String channel, Receiver receiver);

  /**
   * Removes {@code receiver} from the subscribers of {@code channel}; false if it was not one. A publish
   * that starts after this returns does not deliver to it; one already under way may still (once).
   */
  boolean unsubscribe(String channel, Receiver receiver);

  /**
   * Hands {@code message} to every receiver subscribed to {@code channel} and returns how many: the
   * subscribers of the channel at one instant during the call. Never waits for a receiver other than by
   * calling it (and a receiver may never return).
   */
  int publish(String channel, byte[] message);

  /** Channels that have at least one subscriber ({@code PUBSUB CHANNELS}), in no particular order. */
  List<String> channels();

  /** How many receivers subscribe to {@code channel} ({@code PUBSUB NUMSUB}). */
  int subscribers(String channel);
}
