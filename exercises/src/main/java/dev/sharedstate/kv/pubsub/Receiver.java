package dev.sharedstate.kv.pubsub;

/**
 * One subscriber's end of a channel: in the server, a subscribed connection, which queues the message
 * for its client. Elsewhere (the exercise's tests) it may take long, or never return: a receiver is
 * somebody else's code.
 */
@FunctionalInterface
public interface Receiver {
  /** Delivers {@code message}, published to {@code channel}. Never calls back into the registry. */
  void receive(String channel, byte[] message);
}
