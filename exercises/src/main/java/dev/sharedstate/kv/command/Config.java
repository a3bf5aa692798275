package dev.sharedstate.kv.command;

import dev.sharedstate.kv.pubsub.Glob;
import dev.sharedstate.kv.pubsub.Outbox;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code CONFIG GET parameter|pattern ...}, {@code CONFIG SET parameter value ...}, {@code CONFIG
 * RESETSTAT | REWRITE | HELP}, as Redis 7.0 answers them, over the settings this server has. Clients ask
 * about a few ({@code redis-benchmark}: {@code save} and {@code appendonly}; Spring:
 * {@code notify-keyspace-events}). {@code maxmemory} can be changed; setting another parameter to the
 * value it has already is accepted (scripts that turn off persistence keep working); any other change
 * is refused with Redis's error format, saying this server cannot make it.
 */
public record Config(String subcommand, List<String> args) implements Command {

  /** The parameters and their current values, in the order a pattern lists them. */
  private static Map<String, Function<Session, String>> parameters() {
    var p = new LinkedHashMap<String, Function<Session, String>>();
    p.put("save", s -> "");
    p.put("appendonly", s -> "no");
    p.put("databases", s -> "1");
    p.put("maxmemory", s -> Long.toString(s.server().maxMemory()));
    p.put("maxmemory-policy", s -> "noeviction");
    p.put("maxclients", s -> Integer.toString(s.server().config().maxClients()));
    p.put("protected-mode", s -> s.server().config().protectedMode() ? "yes" : "no");
    p.put("requirepass", s -> s.server().config().requirePass() == null ? "" : s.server().config().requirePass());
    p.put("port", s -> Integer.toString(s.port()));
    p.put("bind", s -> s.server().config().bindAddress().getHostAddress());
    p.put("timeout", s -> "0");
    p.put("tcp-keepalive", s -> "0");
    p.put("proto-max-bulk-len", s -> Integer.toString(s.server().config().limits().maxBulkLength()));
    p.put("client-output-buffer-limit", s -> "normal 0 0 0 slave 268435456 67108864 60 pubsub "
        + Outbox.DEFAULT_LIMIT + " " + Outbox.DEFAULT_SOFT_LIMIT + " " + Outbox.DEFAULT_SOFT_SECONDS);
    p.put("notify-keyspace-events", s -> "");
    p.put("cluster-enabled", s -> "no");
    p.put("hz", s -> "10");
    p.put("io-threads", s -> "1");
    return p;
  }

  private static final String[] HELP = {
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value> (this server changes only maxmemory).",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
  };

  static Command parse(Args args) {
    if (args.is(1, "GET")) {
      if (args.count() < 3) return Failure.arity("config|get");
      return new Config("GET", KeyArgs.from(args, 2));
    }
    if (args.is(1, "SET")) {
      if (args.count() < 4 || args.count() % 2 != 0) return Failure.arity("config|set");
      var known = parameters();
      var seen = new HashSet<String>();
      for (int i = 2; i < args.count(); i += 2) {
        String name = args.string(i).toLowerCase(Locale.ROOT);
        if (!known.containsKey(name)) {
          return new Failure("ERR Unknown option or number of arguments for CONFIG SET - '" + args.string(i) + "'");
        }
        if (!seen.add(name)) return failed(args.string(i), "duplicate parameter");
      }
      return new Config("SET", KeyArgs.from(args, 2));
    }
    for (String fixed : new String[] {"RESETSTAT", "REWRITE", "HELP"}) {
      if (args.is(1, fixed)) {
        if (args.count() != 2) return Failure.arity("config|" + fixed.toLowerCase(Locale.ROOT));
        return new Config(fixed, List.of());
      }
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try CONFIG HELP.");
  }

  private static Failure failed(String name, String why) {
    return new Failure("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
  }

  /** {@code 100mb}, {@code 1gb}, {@code 512k}, {@code 1048576}: Redis's memory units (k = 1000, kb = 1024). */
  public static long parseMemory(String s) {
    String t = s.toLowerCase(Locale.ROOT).strip();
    long unit = 1;
    String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length());
        break;
      }
    }
    long n = Long.parseLong(t);
    if (n < 0) throw new NumberFormatException("negative: " + s);
    return Math.multiplyExact(n, unit);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    switch (subcommand) {
      case "GET" -> get(session, out);
      case "SET" -> set(session, out);
      case "HELP" -> {
        out.array(HELP.length);
        for (String line : HELP) out.simple(line);
      }
      case "RESETSTAT" -> out.simple("OK");
      default -> out.error("ERR The server is running without a config file"); // REWRITE
    }
  }

  /** Redis 7.0: a name without glob characters comes back as the client spelled it; each parameter once. */
  private void get(Session session, RespWriter out) {
    var params = parameters();
    var found = new LinkedHashMap<String, String>(); // canonical name -> name to reply with
    for (String arg : args) {
      String lower = arg.toLowerCase(Locale.ROOT);
      boolean pattern = arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0 || arg.indexOf('[') >= 0;
      if (!pattern) {
        if (params.containsKey(lower)) found.putIfAbsent(lower, arg);
        continue;
      }
      for (String name : params.keySet()) if (Glob.matchesIgnoreCase(arg, name)) found.putIfAbsent(name, name);
    }
    out.array(found.size() * 2);
    found.forEach((name, spelled) -> {
      out.bulk(spelled);
      out.bulk(params.get(name).apply(session));
    });
  }

  private void set(Session session, RespWriter out) {
    var params = parameters();
    Long maxMemory = null;
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i).toLowerCase(Locale.ROOT);
      String value = args.get(i + 1);
      if (name.equals("maxmemory")) {
        try {
          maxMemory = parseMemory(value);
        } catch (NumberFormatException | ArithmeticException e) {
          out.error(failed(args.get(i), "argument must be a memory value").message());
          return;
        }
      } else if (name.equals("databases") || name.equals("cluster-enabled") || name.equals("io-threads")) {
        out.error(failed(args.get(i), "can't set immutable config").message()); // immutable in Redis too
        return;
      } else if (!value.equalsIgnoreCase(params.get(name).apply(session))) {
        out.error(failed(args.get(i), "this server cannot change it (only maxmemory), it stays "
            + params.get(name).apply(session)).message());
        return;
      }
    }
    if (maxMemory != null) session.server().maxMemory(maxMemory);
    out.simple("OK");
  }
}
