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
  private volatile String clientName;
  private boolean closing;
  private boolean authenticated;
  private volatile Subscriber subscriber; // read by other connections' threads (CLIENT LIST)
  private Outbox outbox;
  private volatile boolean monitoring;
  private volatile boolean noEvict;
  private boolean showToMonitors;
  private String address = "?:0";
  private String localAddress = "?:0";
  private Runnable kill = () -> {};
  private volatile boolean killed;
  private final long createdNanos = System.nanoTime();
  private volatile long lastCommandNanos = createdNanos;
  private volatile String lastCommand = "NULL";

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
    if (subscriber == null) subscriber = new Subscriber(server.pubsub(), outbox(out));
    return subscriber;
  }

  /**
   * The queue a thread of the connection's own writes to the socket from, opened on the first {@code
   * SUBSCRIBE} or {@code MONITOR}: from then on, replies and pushed messages interleave there in order.
   */
  Outbox outbox(RespWriter out) {
    if (outbox == null) {
      outbox = openOutbox.apply(this);
      out.redirect(outbox);
    }
    return outbox;
  }

  /** Leaves every channel and pattern, and stops monitoring (the connection is closing). */
  public void endSubscriptions() {
    if (subscriber != null) subscriber.unsubscribeAll();
    if (monitoring) {
      monitoring = false;
      server.monitors().remove(outbox);
    }
  }

  /** {@code RESET}: no subscriptions, not monitoring, no name, authenticated only if there is no password. */
  void reset() {
    endSubscriptions();
    clientName = null;
    noEvict = false;
    authenticated = server.config().requirePass() == null;
  }

  /** True once the client sent {@code MONITOR}. */
  public boolean monitoring() {
    return monitoring;
  }

  /** Queues {@code reply} and from then on copies every command to this client ({@code MONITOR}). */
  void startMonitoring(RespWriter out, byte[] reply) {
    Outbox box = outbox(out);
    out.flushUnchecked(); // earlier replies first
    monitoring = true;
    box.offerThen(reply, () -> server.monitors().add(box));
  }

  /**
   * Where the client is ({@code ip:port}, {@code CLIENT LIST}'s addr and laddr) and how to disconnect
   * it ({@code CLIENT KILL}); set by the server when it accepts the connection.
   */
  public void connection(String address, String localAddress, Runnable kill) {
    this.address = address;
    this.localAddress = localAddress;
    this.kill = kill;
  }

  public String address() {
    return address;
  }

  String localAddress() {
    return localAddress;
  }

  /** Closes the connection from another client's thread ({@code CLIENT KILL}). */
  void kill() {
    killed = true;
    kill.run();
  }

  /** True once killed: no longer listed, though its thread may still be ending. */
  boolean killed() {
    return killed;
  }

  /** Whether the command being run goes to the MONITOR clients once it has run. */
  void showToMonitors(boolean show) {
    showToMonitors = show;
  }

  /** True once after a command that MONITOR clients should see; then false until the next one. */
  public boolean takeShowToMonitors() {
    boolean show = showToMonitors;
    showToMonitors = false;
    return show;
  }

  /** Records the command being run, for {@code CLIENT LIST}'s cmd and idle. */
  void commandStarted(String name) {
    lastCommand = name;
    lastCommandNanos = System.nanoTime();
  }

  String lastCommand() {
    return lastCommand;
  }

  long ageSeconds() {
    return (System.nanoTime() - createdNanos) / 1_000_000_000L;
  }

  long idleSeconds() {
    return (System.nanoTime() - lastCommandNanos) / 1_000_000_000L;
  }

  int channelCount() {
    return subscriber == null ? 0 : subscriber.channelCount();
  }

  int patternCount() {
    return subscriber == null ? 0 : subscriber.patternCount();
  }

  void noEvict(boolean on) {
    noEvict = on;
  }

  boolean noEvict() {
    return noEvict;
  }
}
