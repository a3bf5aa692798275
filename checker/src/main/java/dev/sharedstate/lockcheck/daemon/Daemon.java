package dev.sharedstate.lockcheck.daemon;

import dev.sharedstate.lockcheck.cli.Cli;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resident checker: one JVM per working directory that {@code ./lockcheck} starts in the background
 * and then sends its runs to, so a run costs a connection instead of a JVM start, class loading and a
 * cold JIT (the Gradle daemon's idea, at a smaller scale).
 *
 * <p>It listens on 127.0.0.1, on a port the system picks, and publishes {@code PORT TOKEN PID} in a
 * state file only its user can read (mode 0600, in a 0700 directory); a request that does not start
 * with that token is dropped unanswered. It serves only runs from its own working directory, so every
 * relative path means what it means in a new JVM, and answers "retry" (the launcher then runs a new
 * JVM) when it cannot serve one: another directory, another protocol, or its jar was rebuilt.
 *
 * <p>Protocol (one request per connection). The request is NUL-terminated fields: {@link #MAGIC},
 * the token, {@code run}, the working directory, {@code 1} or {@code 0} for colour, the argument count,
 * the arguments; or {@link #MAGIC}, the token, {@code stop}. The answer is a line {@code MAGIC CODE
 * ERRBYTES} (CODE is the exit code, or {@code retry}), then ERRBYTES bytes for standard error, then
 * standard output up to the end of the stream.
 *
 * <p>It exits when idle for the given minutes, when its jar changes or disappears, when its state file
 * no longer names it, and on a {@code stop} request; it removes its state file on the way out.
 */
public final class Daemon {
  /** The protocol's name and version; a launcher that speaks another gets "retry". */
  public static final String MAGIC = "lockcheck-daemon/1";

  static final int MAX_REQUEST_BYTES = 1 << 20;
  static final int MAX_ARGS = 10_000;
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  static final Duration TICK = Duration.ofSeconds(15);

  private final Path state;
  private final Path jar;
  private final Duration idle;
  private final String token;
  private final Path cwd;
  private final ServerSocket server;
  private final FileTime jarTime;
  private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean stopping;

  private Daemon(Path state, Path jar, Duration idle, ServerSocket server) throws IOException {
    this.state = state;
    this.jar = jar;
    this.idle = idle;
    this.server = server;
    this.cwd = Path.of("").toAbsolutePath().toRealPath();
    this.jarTime = jar == null ? null : Files.getLastModifiedTime(jar);
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
  }

  /**
   * {@code Daemon --state FILE [--jar JAR] [--idle-minutes N] [--warm FILE.java]}: serves until idle,
   * stopped or superseded. Exits quietly (0) when another daemon already holds FILE's lock.
   */
  public static void main(String[] args) throws Exception {
    Path state = null;
    Path jar = null;
    Path warm = null;
    long idleMinutes = 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--state" -> state = Path.of(args[i + 1]);
        case "--jar" -> jar = Path.of(args[i + 1]);
        case "--warm" -> warm = Path.of(args[i + 1]);
        case "--idle-minutes" -> idleMinutes = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (state == null) {
      System.err.println("lockcheck daemon: --state FILE is required");
      System.exit(2);
    }
    Path lockFile = state.resolveSibling(state.getFileName() + ".lock");
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = ch.tryLock()) {
      if (lock == null) {
        return; // another daemon serves this key
      }
      Daemon d = start(state, jar, Duration.ofMinutes(Math.max(1, idleMinutes)));
      if (warm != null && Files.isRegularFile(warm)) {
        d.warmUp(warm);
      }
      d.publish();
      Runtime.getRuntime().addShutdownHook(new Thread(d::unpublish));
      d.serve();
    }
  }

  /** Binds 127.0.0.1 on a free port; nothing is published until {@link #publish}. */
  static Daemon start(Path state, Path jar, Duration idle) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setSoTimeout((int) TICK.toMillis());
    return new Daemon(state, jar, idle, server);
  }

  int port() {
    return server.getLocalPort();
  }

  String token() {
    return token;
  }

  /**
   * Runs the checker on {@code file} a few times, output discarded, so the first real request finds
   * the parser and the analysis compiled: about two seconds of one core, before the state file exists.
   */
  void warmUp(Path file) {
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    for (int i = 0; i < 40 && System.nanoTime() < until; i++) {
      Cli.run(new String[] {"--no-config", "--release", "21", "--threads", "1", file.toString()},
          new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
    }
  }

  /** Writes {@code PORT TOKEN PID} to the state file (mode 0600, replaced atomically). */
  void publish() throws IOException {
    Path tmp = state.resolveSibling(state.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, port() + " " + token + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Removes the state file if it still names this daemon, with its lock file and its log when empty
   * (the launcher's {@code STATE.log}). Should a new daemon have locked the old lock file meanwhile, a
   * third may start beside it; the one whose state file is overwritten notices and exits.
   */
  void unpublish() {
    try {
      if (ours()) {
        Files.deleteIfExists(state);
        Files.deleteIfExists(state.resolveSibling(state.getFileName() + ".lock"));
        Path log = state.resolveSibling(state.getFileName() + ".log");
        if (Files.isRegularFile(log) && Files.size(log) == 0) {
          Files.delete(log);
        }
      }
    } catch (IOException e) {
      // going away anyway; a stale file is found dead by the next launcher
    }
  }

  private boolean ours() throws IOException {
    try {
      return Files.readString(state, StandardCharsets.US_ASCII).contains(" " + token + " ");
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Accepts until a reason to stop; each connection is served on its own thread. */
  void serve() throws IOException {
    try (server) {
      while (!stopping) {
        Socket s;
        try {
          s = server.accept();
        } catch (SocketTimeoutException tick) {
          if (reasonToStop().isPresent()) {
            break;
          }
          continue;
        } catch (IOException closed) {
          if (stopping) {
            break; // a stop request closed the socket
          }
          throw closed;
        }
        lastUsed.set(System.nanoTime());
        Thread.ofPlatform().name("lockcheck-request").daemon(true).start(() -> handle(s));
      }
    } finally {
      unpublish();
    }
  }

  /** Why the daemon should leave now, if it should. */
  Optional<String> reasonToStop() throws IOException {
    if (running.get() == 0 && System.nanoTime() - lastUsed.get() > idle.toNanos()) {
      return Optional.of("idle for " + idle.toMinutes() + " minutes");
    }
    if (jarChanged()) {
      return Optional.of(jar + " changed");
    }
    if (!Files.isDirectory(cwd)) {
      return Optional.of(cwd + " is gone");
    }
    if (!ours()) {
      return Optional.of(state + " no longer names this daemon");
    }
    return Optional.empty();
  }

  private void handle(Socket s) {
    running.incrementAndGet();
    try (s) {
      s.setSoTimeout((int) READ_TIMEOUT.toMillis());
      InputStream in = new BufferedInputStream(s.getInputStream());
      Fields f = new Fields(in);
      if (!MAGIC.equals(f.next()) || !constantTimeEquals(token, f.next())) {
        return; // not our launcher (or another protocol): no answer at all
      }
      String verb = f.next();
      OutputStream out = s.getOutputStream();
      if ("stop".equals(verb)) {
        answer(out, "0", new byte[0], new byte[0]);
        stopping = true;
        server.close();
        return;
      }
      String reqCwd = f.next();
      boolean colour = "1".equals(f.next());
      int argc = Integer.parseInt(f.next());
      if (!"run".equals(verb) || argc < 0 || argc > MAX_ARGS) {
        answer(out, "retry", "lockcheck daemon: bad request\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
        return;
      }
      List<String> args = new ArrayList<>(argc);
      for (int i = 0; i < argc; i++) {
        args.add(f.next());
      }
      if (jarChanged()) {
        // rebuilt: this JVM runs the old classes. Step aside now, so the launcher's next start wins the lock.
        answer(out, "retry", new byte[0], new byte[0]);
        stopping = true;
        server.close();
        return;
      }
      if (!sameDirectory(reqCwd)) {
        answer(out, "retry", new byte[0], new byte[0]);
        return;
      }
      s.setSoTimeout(0);
      StringWriter o = new StringWriter();
      StringWriter e = new StringWriter();
      int code;
      try {
        code = Cli.run(args.toArray(String[]::new), new PrintWriter(o), new PrintWriter(e), colour);
      } catch (RuntimeException | Error x) {
        e.append("lockcheck: internal error in the resident checker: ").append(String.valueOf(x)).append('\n');
        code = Cli.USAGE_OR_INPUT;
      }
      answer(out, Integer.toString(code), e.toString().getBytes(StandardCharsets.UTF_8),
          o.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // the launcher went away or sent garbage; it falls back to a new JVM if it is still there
    } finally {
      lastUsed.set(System.nanoTime());
      running.decrementAndGet();
    }
  }

  private boolean sameDirectory(String reqCwd) {
    try {
      return Path.of(reqCwd).toRealPath().equals(cwd);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean jarChanged() throws IOException {
    return jar != null && (!Files.exists(jar) || !Files.getLastModifiedTime(jar).equals(jarTime));
  }

  private static void answer(OutputStream out, String code, byte[] err, byte[] stdout) throws IOException {
    out.write((MAGIC + " " + code + " " + err.length + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(err);
    out.write(stdout);
    out.flush();
  }

  private static boolean constantTimeEquals(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.getBytes(StandardCharsets.US_ASCII));
  }

  /** NUL-terminated fields, decoded as the launcher's shell wrote them, at most 1 MiB in all. */
  static final class Fields {
    private static final Charset ARGS = argumentCharset();
    private final InputStream in;
    private int total;

    Fields(InputStream in) {
      this.in = in;
    }

    String next() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != 0; ) {
        if (c < 0) {
          throw new IOException("request ended early");
        }
        if (++total > MAX_REQUEST_BYTES) {
          throw new IOException("request too long");
        }
        b.write(c);
      }
      return b.toString(ARGS);
    }

    private static Charset argumentCharset() {
      try {
        return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
      } catch (RuntimeException e) {
        return StandardCharsets.UTF_8;
      }
    }
  }
}
