package dev.sharedstate.kv;

import dev.sharedstate.kv.command.ServerContext;
import dev.sharedstate.kv.command.Session;
import dev.sharedstate.kv.db.Db;
import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.ConcurrentChannelRegistry;
import dev.sharedstate.kv.pubsub.PubSub;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Redis-compatible (RESP2) key-value server: one virtual thread per connection, the commands of
 * {@link dev.sharedstate.kv.command.Commands}, and storage behind the {@link Store} interface.
 *
 * <p>Where each connection's store comes from is the caller's choice, as in the lesson, where {@code
 * main} creates the map and hands each connection a handle: {@code storeForConnection} is called once
 * per accepted connection. Every correct design returns the same shared store each time; exercise 1
 * starts from one that does not.
 *
 * <p>Besides the connections, the server runs one background thread: active expiry, which every 100 ms
 * samples keys that have an expiry and removes the expired ones (Redis's {@code activeExpireCycle}:
 * 20 keys at a time, again while more than 10% of a sample had expired, at most 25 ms per round).
 *
 * <pre>{@code
 * try (Store store = new MyStore(); KvServer server = KvServer.start(ServerConfig.ephemeral(), store)) {
 *   System.out.println("listening on " + server.port());
 * }
 * }</pre>
 */
public final class KvServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.sharedstate.kv");
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  private static final AtomicBoolean PRELOADED = new AtomicBoolean();
  /** File descriptors kept free for the JVM and the store (Redis keeps 32 for itself). */
  static final int RESERVED_FDS = 32;
  private static final long EXPIRY_PERIOD_MILLIS = 100;
  private static final long EXPIRY_BUDGET_NANOS = 25_000_000;

  /** Redis's reply to a client from another machine while protected mode is on and there is no password. */
  static final String DENIED =
      "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for "
          + "the default user. In this mode connections are only accepted from the loopback interface. If you want "
          + "to connect from external computers to Redis you may adopt one of the following solutions: 1) Just "
          + "disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface "
          + "by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not "
          + "publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
          + "Alternatively you can just disable the protected mode by editing the Redis configuration file, and "
          + "setting the protected mode option to 'no', and then restarting the server. 3) If you started the "
          + "server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
          + "authentication password for the default user. NOTE: You only need to do one of the above things in "
          + "order for the server to start accepting connections from the outside.\r\n";

  private final ServerConfig config;
  private final Supplier<? extends Store> storeForConnection;
  private final Predicate<InetAddress> isLocal;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Thread expirer;
  private final ServerContext context;
  private final int maxClients;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextId = new AtomicLong(1);
  private final DbRegistry dbs = new DbRegistry();
  private volatile boolean closed;

  private KvServer(ServerConfig config, Supplier<? extends Store> storeForConnection, Predicate<InetAddress> isLocal,
      ChannelRegistry channels) throws IOException {
    if (PRELOADED.compareAndSet(false, true)) {
      Preload.packageTree(KvServer.class, true);
      LOG.isLoggable(System.Logger.Level.WARNING); // the logging back end reads its configuration file now
    }
    this.config = config;
    this.storeForConnection = storeForConnection;
    this.isLocal = isLocal;
    this.maxClients = clientsThatFit(config.maxClients());
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
    this.context = new ServerContext(config, listener.getLocalPort(), connections::size, new PubSub(channels));
    this.acceptor =
        Thread.ofPlatform().daemon().name("kv-" + port() + "-accept").unstarted(this::acceptLoop);
    this.expirer = Thread.ofVirtual().name("kv-" + port() + "-expire").unstarted(this::expireLoop);
  }

  /** Starts a server whose connections all share {@code store}. */
  public static KvServer start(ServerConfig config, Store store) throws IOException {
    Objects.requireNonNull(store, "store");
    return start(config, () -> store);
  }

  /**
   * Starts a server that asks {@code storeForConnection} for each new connection's store.
   *
   * @throws IOException the address is in use or cannot be bound
   */
  public static KvServer start(ServerConfig config, Supplier<? extends Store> storeForConnection)
      throws IOException {
    return start(config, storeForConnection, InetAddress::isLoopbackAddress);
  }

  /**
   * Starts a server whose connections share {@code store}, and whose channel subscriptions ({@code
   * SUBSCRIBE}, {@code PUBLISH}, {@code PUBSUB}) are kept by {@code channels}: the pub/sub exercise's
   * registry.
   */
  public static KvServer start(ServerConfig config, Store store, ChannelRegistry channels) throws IOException {
    Objects.requireNonNull(store, "store");
    return start(config, () -> store, InetAddress::isLoopbackAddress, Objects.requireNonNull(channels, "channels"));
  }

  /** As above, with the test of which clients are on this machine (for protected mode) given. */
  static KvServer start(ServerConfig config, Supplier<? extends Store> storeForConnection, Predicate<InetAddress> isLocal)
      throws IOException {
    return start(config, storeForConnection, isLocal, new ConcurrentChannelRegistry());
  }

  private static KvServer start(ServerConfig config, Supplier<? extends Store> storeForConnection,
      Predicate<InetAddress> isLocal, ChannelRegistry channels) throws IOException {
    var server = new KvServer(config, Objects.requireNonNull(storeForConnection, "storeForConnection"), isLocal, channels);
    server.acceptor.start();
    server.expirer.start();
    return server;
  }

  /** The port the server listens on (the one picked, when the config said 0). */
  public int port() {
    return listener.getLocalPort();
  }

  /** The address clients connect to. */
  public InetSocketAddress address() {
    return new InetSocketAddress(config.bindAddress(), port());
  }

  /** How many clients are connected now. */
  public int connectedClients() {
    return connections.size();
  }

  /** The most clients served at once: the config's, lowered (as Redis does) to what the descriptor limit allows. */
  public int maxClients() {
    return maxClients;
  }

  private static int clientsThatFit(int wanted) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - RESERVED_FDS;
      if (free < wanted) {
        int fit = (int) Math.max(1, free);
        LOG.log(System.Logger.Level.WARNING, "the open-files limit (ulimit -n " + os.getMaxFileDescriptorCount()
            + ") allows " + fit + " clients, not " + wanted + ": maxclients lowered to " + fit);
        return fit;
      }
    }
    return wanted;
  }

  private void acceptLoop() {
    long backoff = 0;
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
        backoff = 0;
      } catch (IOException e) {
        if (closed) return;
        // Out of file descriptors, most likely: accept would fail again at once. Wait, then retry,
        // instead of spinning (Redis's event loop retries on its next tick).
        backoff = Math.min(Math.max(2 * backoff, 10), 500);
        if (backoff == 10) LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage() + "; retrying");
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        continue;
      } catch (Error e) {
        if (closed) return;
        LOG.log(System.Logger.Level.ERROR, "accept failed", e);
        continue;
      }
      try {
        admit(socket);
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, "could not serve a new connection", e);
        closeQuietly(socket);
      }
    }
  }

  private void admit(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
    } catch (SocketException ignored) {
      // Only latency suffers.
    }
    long id = nextId.getAndIncrement();
    context.connectionReceived();
    if (config.refusesRemoteClients() && !isLocal.test(socket.getInetAddress())) {
      refuse(socket, DENIED);
      return;
    }
    if (connections.size() >= maxClients) {
      refuse(socket, "-ERR max number of clients reached\r\n");
      return;
    }
    Store store;
    try {
      store = Objects.requireNonNull(storeForConnection.get(), "the store supplier returned null");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "no store for a new connection", e);
      refuse(socket, "-ERR server error: no store for this connection: " + e + "\r\n");
      return;
    }
    var connection = new Connection[1];
    Thread thread =
        Thread.ofVirtual().name("kv-" + port() + "-conn-" + id).unstarted(() -> connection[0].run());
    connection[0] = new Connection(socket, config, () -> {
      context.unregister(connection[0].session());
      connections.remove(connection[0]);
      threads.remove(Thread.currentThread());
    });
    var session = new Session(store, dbs.of(store), context, id, s -> {
      try {
        return connection[0].openOutbox();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    session.connection(addressOf(socket.getInetAddress(), socket.getPort()),
        addressOf(socket.getLocalAddress(), socket.getLocalPort()), connection[0]::close);
    connection[0].session(session);
    context.register(session);
    connections.add(connection[0]);
    threads.add(thread);
    thread.start();
    if (closed) connection[0].close();
  }

  /** {@code 127.0.0.1:50412}, {@code [::1]:50412}: Redis's form of a client's address. */
  private static String addressOf(InetAddress ip, int port) {
    String host = ip.getHostAddress();
    int zone = host.indexOf('%');
    if (zone >= 0) host = host.substring(0, zone);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static void refuse(Socket socket, String reply) {
    Thread.ofVirtual().start(() -> {
      try (socket; OutputStream out = socket.getOutputStream()) {
        out.write(reply.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException ignored) {
        // Refusing anyway.
      }
    });
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }

  /** Active expiry: Redis's slow cycle, every 100 ms, over every store this server serves. */
  private void expireLoop() {
    var expired = new ArrayList<String>();
    while (!closed) {
      try {
        Thread.sleep(EXPIRY_PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      for (Db db : dbs.all()) {
        Store store = db.store(); // held while this round uses the store
        if (store == null) continue;
        long deadline = System.nanoTime() + EXPIRY_BUDGET_NANOS;
        int sampled;
        do {
          long now = config.clockMillis().getAsLong();
          expired.clear();
          sampled = db.keyspace().sampleExpiring(20, now, expired);
          for (String key : expired) {
            try {
              db.expire(key, now);
            } catch (RuntimeException | Error e) {
              LOG.log(System.Logger.Level.DEBUG, "active expiry of " + key + " failed", e);
            }
          }
        } while (!closed && sampled > 0 && expired.size() * 100 > sampled * 10 && System.nanoTime() < deadline);
      }
    }
  }

  /**
   * Stops accepting, closes every connection and waits up to a second for their threads to end. A
   * connection stuck in the store (a deadlock in an exercise) cannot be ended; it is left behind.
   * Does not close the stores: whoever created them does.
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    expirer.interrupt();
    connections.forEach(Connection::close);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) break;
      try {
        t.join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      acceptor.join(CLOSE_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The server's {@link Db} layer for each store, found by the store's identity. Held weakly: when an
   * exercise's starter gives each connection its own store, that store's index goes with it.
   */
  private static final class DbRegistry {
    private final ReferenceQueue<Store> queue = new ReferenceQueue<>();
    private final ConcurrentHashMap<Ref, Db> map = new ConcurrentHashMap<>();

    private static final class Ref extends WeakReference<Store> {
      private final int hash;

      Ref(Store store, ReferenceQueue<Store> queue) {
        super(store, queue);
        this.hash = System.identityHashCode(store);
      }

      @Override
      public int hashCode() {
        return hash;
      }

      @Override
      public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Ref r)) return false;
        Store mine = get();
        return mine != null && mine == r.get();
      }
    }

    Db of(Store store) {
      for (Object r; (r = queue.poll()) != null; ) map.remove(r);
      return map.computeIfAbsent(new Ref(store, queue), r -> new Db(store));
    }

    java.util.List<Db> all() {
      return new ArrayList<>(map.values());
    }
  }
}
