package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Store;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One client connection's view of the server: the store its commands run against (the handle the
 * server gave this connection), the clock for expiry, and per-connection state such as the client's
 * name. Used by one thread at a time: the connection's.
 */
public final class Session {
  private final Store store;
  private final LongSupplier clockMillis;
  private final long id;
  private final int port;
  private final IntSupplier connectedClients;
  private String clientName;
  private boolean closing;

  public Session(Store store, LongSupplier clockMillis, long id, int port, IntSupplier connectedClients) {
    this.store = store;
    this.clockMillis = clockMillis;
    this.id = id;
    this.port = port;
    this.connectedClients = connectedClients;
  }

  public Store store() {
    return store;
  }

  /** The time for expiry decisions, in milliseconds since the epoch. */
  public long now() {
    return clockMillis.getAsLong();
  }

  public long id() {
    return id;
  }

  public int port() {
    return port;
  }

  public int connectedClients() {
    return connectedClients.getAsInt();
  }

  public String clientName() {
    return clientName;
  }

  void clientName(String name) {
    this.clientName = name;
  }

  /** True once the client asked to close ({@code QUIT}): the server closes after sending the reply. */
  public boolean closing() {
    return closing;
  }

  void close() {
    this.closing = true;
  }
}
