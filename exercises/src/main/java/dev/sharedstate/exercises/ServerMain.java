package dev.sharedstate.exercises;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts an exercise's server until Ctrl-C: {@code ./exercises/server [ex01|ex02|ex03|ex04|ex05|ex06|ex07] [--reference]
 * [--port N] [--bind ADDR]}. Defaults: your ex01 code, {@code 127.0.0.1:6379}.
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

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
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
          case "-h", "--help" -> {
            out.println("usage: ./exercises/server [ex01|ex02|ex03|ex04|ex05|ex06|ex07] [--reference] [--port N] [--bind ADDR]");
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
        + " ping   (Ctrl-C stops)");
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { server.close(); stop.countDown(); }));
    stop.await();
    return 0;
  }
}
