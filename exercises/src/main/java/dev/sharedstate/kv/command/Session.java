package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.db.Db;
import dev.sharedstate.kv.pubsub.Outbox;
import dev.sharedstate.kv.pubsub.Subscriber;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.function.Function;

/**
 * One client connection's view of the server: the store its commands run against (through the
 * server's {@link Db} layer for that store), the shared {@link ServerContext}, and per-connection state:
 * the client's name, whether it has authenticated, its subscriptions. Used by one thread at a time: the
 * connection's.
 */
public final class Session {
  private final Store store; // held here: the Db layer refers to it only weakly
  private final Db db;
  private final ServerContext server;
  private final long id;
  private final Function<Session, Outbox> openOutbox;
  private String clientName;
  private boolean closing;
  private boolean authenticated;
  private Subscriber subscriber;

  /**
   * @param openOutbox called on the first {@code SUBSCRIBE}: switches the connection's output to a
   *     queue drained by its own thread, so published messages and replies interleave in order
   */
  public Session(Store store, Db db, ServerContext server, long id, Function<Session, Outbox> openOutbox) {
    this.store = store;
    this.db = db;
    this.server = server;
    this.id = id;
    this.openOutbox = openOutbox;
    this.authenticated = server.config().requirePass() == null;
  }

  public Store store() {
    return store;
  }

  public Db db() {
    return db;
  }

  public ServerContext server() {
    return server;
  }

  /** The time for expiry decisions, in milliseconds since the epoch. */
  public long now() {
    return server.clock().getAsLong();
  }

  public long id() {
    return id;
  }

  public int port() {
    return server.port();
  }

  public int connectedClients() {
    return server.connectedClients();
  }

  public String clientName() {
    return clientName;
  }

  void clientName(String name) {
    this.clientName = name;
  }

  public boolean authenticated() {
    return authenticated;
  }

  void authenticated(boolean yes) {
    this.authenticated = yes;
  }

  /** True once the client asked to close ({@code QUIT}): the server closes after sending the reply. */
  public boolean closing() {
    return closing;
  }

  void close() {
    this.closing = true;
  }

  /** True while the client has a subscription: RESP2 then allows only the pub/sub commands and PING. */
  public boolean subscribed() {
    return subscriber != null && subscriber.count() > 0;
  }

  /** This connection's subscriptions, created (with its outbox) on first use. */
  Subscriber subscriber(RespWriter out) {
    if (subscriber == null) {
      Outbox outbox = openOutbox.apply(this);
      subscriber = new Subscriber(server.pubsub(), outbox);
      out.redirect(outbox);
    }
    return subscriber;
  }

  /** Leaves every channel and pattern (the connection is closing): no message is queued after this. */
  public void endSubscriptions() {
    if (subscriber != null) subscriber.unsubscribeAll();
  }
}
