package dev.sharedstate.kv.command;

import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.pubsub.Monitors;
import dev.sharedstate.kv.pubsub.PubSub;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What every connection of one server shares besides its store: the configuration, the clock, the
 * subscriber registry and a few counters for {@code INFO}.
 */
public final class ServerContext {
  private final ServerConfig config;
  private final PubSub pubsub;
  private final Monitors monitors = new Monitors();
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final IntSupplier connectedClients;
  private final int port;
  private volatile long maxMemory;
  private final long startNanos = System.nanoTime();
  private final LongAdder commandsProcessed = new LongAdder();
  private final LongAdder connectionsReceived = new LongAdder();

  public ServerContext(ServerConfig config, int port, IntSupplier connectedClients) {
    this(config, port, connectedClients, new PubSub());
  }

  /** With a subscriber registry of its own (the pub/sub exercise's channels). */
  public ServerContext(ServerConfig config, int port, IntSupplier connectedClients, PubSub pubsub) {
    this.pubsub = pubsub;
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

  /** The clients that sent {@code MONITOR}. */
  public Monitors monitors() {
    return monitors;
  }

  /** Adds a connected client's session ({@code CLIENT LIST}, {@code CLIENT KILL}). */
  public void register(Session session) {
    sessions.add(session);
  }

  public void unregister(Session session) {
    sessions.remove(session);
  }

  /** The connected clients' sessions, in id order. */
  List<Session> sessions() {
    var list = new ArrayList<Session>();
    for (Session s : sessions) if (!s.killed()) list.add(s);
    list.sort(Comparator.comparingLong(Session::id));
    return list;
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

  /** Seconds since the server started ({@code INFO}'s {@code uptime_in_seconds}). */
  public long uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  /** Counts one command run, for {@code INFO}'s {@code total_commands_processed}. */
  public void commandProcessed() {
    commandsProcessed.increment();
  }

  public long commandsProcessed() {
    return commandsProcessed.sum();
  }

  /** Counts one accepted connection, for {@code INFO}'s {@code total_connections_received}. */
  public void connectionReceived() {
    connectionsReceived.increment();
  }

  public long connectionsReceived() {
    return connectionsReceived.sum();
  }
}
