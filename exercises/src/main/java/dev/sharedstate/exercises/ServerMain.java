package dev.sharedstate.exercises;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.Preload;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.command.Config;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * Starts an exercise's server until it is stopped (Ctrl-C, SIGTERM, SIGHUP):
 * {@code ./exercises/server [ex01..ex07, ex09, ex10] [--reference] [--port N] [--bind ADDR] [--carriers N]
 * [--requirepass PW] [--protected-mode yes|no] [--maxmemory BYTES]}. Defaults: your ex01 code, {@code
 * 127.0.0.1:6379}, one carrier thread per processor, no password, protected mode on, a memory limit of
 * half the heap. {@code --carriers 1} is the Java counterpart of Tokio's single-threaded runtime.
 */
public final class ServerMain {
  private static final Map<String, String> CLASSES =
      Map.of(
          "ex01", "dev.sharedstate.exercises.ex01.ShareTheMap",
          "ex02", "dev.sharedstate.exercises.ex02.LoggedStore",
          "ex03", "dev.sharedstate.exercises.ex03.NoLostUpdates",
          "ex04", "dev.sharedstate.exercises.ex04.ShardedStore",
          "ex05", "dev.sharedstate.exercises.ex05.SlowBackedStore",
          "ex06", "dev.sharedstate.exercises.ex06.OwnerThreadStore",
          "ex07", "dev.sharedstate.exercises.ex07.LoadOnceStore",
          "ex09", "dev.sharedstate.exercises.ex09.AtomicMsetStore",
          "ex10", "dev.sharedstate.exercises.ex10.Subscribers");

  static final String USAGE =
      "usage: ./exercises/server [ex01|ex02|ex03|ex04|ex05|ex06|ex07|ex09|ex10] [--reference] [--port N] [--bind ADDR]\n"
          + "                          [--carriers N] [--requirepass PASSWORD] [--protected-mode yes|no] [--maxmemory BYTES]\n"
          + "  --carriers N        run the connections' virtual threads on N platform threads (default: one per processor)\n"
          + "  --requirepass PW    clients must send AUTH PW (or AUTH default PW) first\n"
          + "  --protected-mode    yes (default): with no password, serve only clients on this machine, as Redis does\n"
          + "  --maxmemory BYTES   refuse writes (-OOM) once the data is over this size: 100mb, 1gb, 0 for no limit\n"
          + "                      (default: half the JVM's heap, " + ServerConfig.defaultMaxMemory() / (1024 * 1024) + "mb now)";

  private ServerMain() {}

  /** The JDK's setting for the number of carrier threads (platform threads that run virtual threads). */
  static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

  public static void main(String[] args) throws Exception {
    // --carriers must reach the JDK before the first virtual thread exists: the scheduler reads the
    // property once, when it is created. Nothing has started one yet in a fresh JVM.
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--carriers") && System.getProperty(CARRIERS_PROPERTY) == null) {
        try {
          if (Integer.parseInt(args[i + 1]) >= 1) System.setProperty(CARRIERS_PROPERTY, args[i + 1]);
        } catch (NumberFormatException e) {
          // run() reports it
        }
      }
    }
    System.exit(run(args, System.out, System.err));
  }

  /** The carrier threads virtual threads run on: the property if set, else one per processor (the JDK's default). */
  static String carriers() {
    String set = System.getProperty(CARRIERS_PROPERTY);
    int n = set != null ? Integer.parseInt(set) : Runtime.getRuntime().availableProcessors();
    return n + (n == 1 ? " carrier thread" : " carrier threads");
  }

  /** Parses {@code args}, starts the server and blocks until the JVM is stopped; returns an exit code on bad usage. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String exercise = "ex01";
    boolean reference = false;
    ServerConfig config = ServerConfig.defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && !a.equals("--reference") && !a.equals("--help") && i + 1 >= args.length) {
        err.println("server: " + a + " needs a value; " + USAGE.lines().findFirst().orElseThrow());
        return 2;
      }
      try {
        switch (a) {
          case "--reference" -> reference = true;
          case "--port" -> config = config.withPort(Integer.parseInt(args[++i]));
          case "--bind" -> {
            String host = args[++i];
            try {
              config = config.withBindAddress(host);
            } catch (UnknownHostException e) {
              err.println("server: --bind " + host + ": no such host or address; try 127.0.0.1 (this machine only) or 0.0.0.0");
              return 2;
            }
          }
          case "--carriers" -> {
            int n = Integer.parseInt(args[++i]);
            if (n < 1 || n > 256) throw new IllegalArgumentException("between 1 and 256, got " + n);
          }
          case "--requirepass" -> config = config.withRequirePass(args[++i]);
          case "--protected-mode" -> {
            String v = args[++i];
            if (!v.equals("yes") && !v.equals("no")) throw new IllegalArgumentException("yes or no, got " + v);
            config = config.withProtectedMode(v.equals("yes"));
          }
          case "--maxmemory" -> config = config.withMaxMemory(Config.parseMemory(args[++i]));
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> {
            if (!CLASSES.containsKey(a)) {
              err.println("server: unknown argument '" + a + "'; exercises with a server: " + new TreeSet<>(CLASSES.keySet())
                  + "; --help for the options");
              return 2;
            }
            exercise = a;
          }
        }
      } catch (IllegalArgumentException | ArithmeticException e) {
        err.println("server: bad value for " + a + ": " + e.getMessage());
        return 2;
      }
    }
    String name = CLASSES.get(exercise);
    if (reference) name = name.substring(0, name.lastIndexOf('.')) + ".reference" + name.substring(name.lastIndexOf('.'));
    Class<?> target = Class.forName(name);
    Preload.packageTree(target, false); // the store's own classes, loaded (not run) while descriptors are plentiful
    Method start = target.getMethod("start", ServerConfig.class);
    KvServer server;
    try {
      server = (KvServer) start.invoke(null, config);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      err.println("server: cannot start on " + config.bindAddress().getHostAddress() + ":" + config.port() + ": "
          + (cause instanceof java.net.BindException
              ? cause.getMessage() + " (is another server using the port? try --port 6380)"
              : cause));
      return 1;
    }
    String where = config.bindAddress().getHostAddress() + ":" + server.port();
    if (!config.bindAddress().isLoopbackAddress()) {
      if (config.refusesRemoteClients()) {
        err.println("server: WARNING: listening on " + where + " with no password: protected mode is on, so only "
            + "clients on this machine are served (others get -DENIED, as from Redis). To serve other machines, "
            + "set --requirepass PASSWORD (or --protected-mode no, on a network you trust).");
      } else if (config.requirePass() == null) {
        err.println("server: WARNING: listening on " + where + " with no password and protected mode off: "
            + "anyone who can reach this address can read and change every key.");
      }
    }
    out.println(exercise + (reference ? " (reference)" : "") + " listening on " + where + "; try: redis-cli -p "
        + server.port() + " ping   (virtual threads on " + carriers() + "; Ctrl-C stops)");
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { server.close(); stop.countDown(); }));
    stop.await();
    return 0;
  }
}
