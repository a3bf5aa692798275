package dev.sharedstate.kv.command;

import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.PubSub;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What every connection of one server shares besides its store: the configuration, the clock, the
 * subscriber registry and a few counters for {@code INFO}.
 */
public final class ServerContext {
  private final ServerConfig config;
  private final PubSub pubsub = new PubSub();
  private final IntSupplier connectedClients;
  private final int port;
  private volatile long maxMemory;

  public ServerContext(ServerConfig config, int port, IntSupplier connectedClients) {
    this.config = config;
    this.port = port;
    this.connectedClients = connectedClients;
    this.maxMemory = config.maxMemory();
  }

  public ServerConfig config() {
    return config;
  }

  public LongSupplier clock() {
    return config.clockMillis();
  }

  public PubSub pubsub() {
    return pubsub;
  }

  public int port() {
    return port;
  }

  public int connectedClients() {
    return connectedClients.getAsInt();
  }

  /** The memory limit in bytes (0: none); {@code CONFIG SET maxmemory} changes it. */
  public long maxMemory() {
    return maxMemory;
  }

  void maxMemory(long bytes) {
    this.maxMemory = bytes;
  }
}
