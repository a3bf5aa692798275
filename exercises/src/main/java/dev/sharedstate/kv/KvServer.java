package dev.sharedstate.kv;

import dev.sharedstate.kv.command.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * <pre>{@code
 * try (Store store = new MyStore(); KvServer server = KvServer.start(ServerConfig.ephemeral(), store)) {
 *   System.out.println("listening on " + server.port());
 * }
 * }</pre>
 */
public final class KvServer implements AutoCloseable {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  private final ServerConfig config;
  private final Supplier<? extends Store> storeForConnection;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextId = new AtomicLong(1);
  private volatile boolean closed;

  private KvServer(ServerConfig config, Supplier<? extends Store> storeForConnection) throws IOException {
    this.config = config;
    this.storeForConnection = storeForConnection;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
    this.acceptor =
        Thread.ofPlatform().daemon().name("kv-" + port() + "-accept").unstarted(this::acceptLoop);
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
    var server = new KvServer(config, Objects.requireNonNull(storeForConnection, "storeForConnection"));
    server.acceptor.start();
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

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (closed) return;
        continue; // e.g. too many open files: try again
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (SocketException ignored) {
        // Only latency suffers.
      }
      long id = nextId.getAndIncrement();
      if (connections.size() >= config.maxClients()) {
        refuse(socket);
        continue;
      }
      Store store;
      try {
        store = Objects.requireNonNull(storeForConnection.get(), "the store supplier returned null");
      } catch (RuntimeException e) {
        System.getLogger("dev.sharedstate.kv")
            .log(System.Logger.Level.WARNING, "no store for a new connection", e);
        refuse(socket, "-ERR server error: no store for this connection: " + e + "\r\n");
        continue;
      }
      var session = new Session(store, config.clockMillis(), id, port(), connections::size);
      var holder = new Connection[1];
      Thread thread =
          Thread.ofVirtual()
              .name("kv-" + port() + "-conn-" + id)
              .unstarted(() -> holder[0].run());
      holder[0] = new Connection(socket, session, config, () -> {
        connections.remove(holder[0]);
        threads.remove(Thread.currentThread());
      });
      connections.add(holder[0]);
      threads.add(thread);
      thread.start();
      if (closed) holder[0].close();
    }
  }

  private static void refuse(Socket socket) {
    refuse(socket, "-ERR max number of clients reached\r\n");
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
}
