package dev.sharedstate.exercises;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts an exercise's server until Ctrl-C: {@code ./exercises/server [ex01|ex02|ex03|ex04|ex05|ex06|ex07] [--reference]
 * [--port N] [--bind ADDR] [--carriers N]}. Defaults: your ex01 code, {@code 127.0.0.1:6379}, one carrier thread per
 * processor. {@code --carriers 1} is the Java counterpart of Tokio's single-threaded runtime.
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
          "ex07", "dev.sharedstate.exercises.ex07.LoadOnceStore");

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
      try {
        switch (a) {
          case "--reference" -> reference = true;
          case "--port" -> config = config.withPort(Integer.parseInt(args[++i]));
          case "--bind" -> config = config.withBindAddress(args[++i]);
          case "--carriers" -> {
            int n = Integer.parseInt(args[++i]);
            if (n < 1 || n > 256) throw new IllegalArgumentException("between 1 and 256, got " + n);
          }
          case "-h", "--help" -> {
            out.println("usage: ./exercises/server [ex01|ex02|ex03|ex04|ex05|ex06|ex07] [--reference] [--port N] [--bind ADDR] [--carriers N]");
            out.println("  --carriers N   run the connections' virtual threads on N platform threads (default: one per processor)");
            return 0;
          }
          default -> {
            if (!CLASSES.containsKey(a)) {
              err.println("server: unknown argument '" + a + "'; exercises with a server: " + new java.util.TreeSet<>(CLASSES.keySet()));
              return 2;
            }
            exercise = a;
          }
        }
      } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
        err.println("server: bad value for " + a + ": " + e.getMessage());
        return 2;
      }
    }
    String name = CLASSES.get(exercise);
    if (reference) name = name.substring(0, name.lastIndexOf('.')) + ".reference" + name.substring(name.lastIndexOf('.'));
    Method start = Class.forName(name).getMethod("start", ServerConfig.class);
    KvServer server;
    try {
      server = (KvServer) start.invoke(null, config);
    } catch (java.lang.reflect.InvocationTargetException e) {
      err.println("server: cannot start on " + config.bindAddress().getHostAddress() + ":" + config.port()
          + ": " + e.getCause().getMessage() + " (is another server using the port? try --port 6380)");
      return 1;
    }
    out.println(exercise + (reference ? " (reference)" : "") + " listening on "
        + config.bindAddress().getHostAddress() + ":" + server.port() + "; try: redis-cli -p " + server.port()
        + " ping   (virtual threads on " + carriers() + "; Ctrl-C stops)");
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { server.close(); stop.countDown(); }));
    stop.await();
    return 0;
  }
}
