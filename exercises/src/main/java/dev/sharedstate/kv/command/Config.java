package dev.sharedstate.kv.command;

import dev.sharedstate.kv.pubsub.Glob;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code CONFIG GET pattern [pattern ...]}: the settings clients ask about ({@code redis-benchmark}
 * asks for {@code save} and {@code appendonly}; this server keeps nothing on disk). {@code CONFIG SET
 * maxmemory bytes} changes the memory limit; other settings are fixed at start.
 */
public record Config(boolean set, List<String> args) implements Command {

  static Command parse(Args args) {
    if (args.is(1, "GET")) {
      if (args.count() < 3) return Failure.arity("config|get");
      return new Config(false, KeyArgs.from(args, 2));
    }
    if (args.is(1, "SET")) {
      if (args.count() < 4 || args.count() % 2 != 0) return Failure.arity("config|set");
      if (args.count() != 4 || !args.is(2, "MAXMEMORY")) {
        return new Failure("ERR CONFIG SET of '" + args.string(2) + "' is not supported by this server (only maxmemory)");
      }
      return new Config(true, KeyArgs.from(args, 2));
    }
    if (args.is(1, "RESETSTAT") || args.is(1, "REWRITE")) {
      return new Failure("ERR CONFIG " + args.string(1).toUpperCase(Locale.ROOT) + " is not supported by this server");
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try CONFIG HELP.");
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
    if (set) {
      try {
        session.server().maxMemory(parseMemory(args.get(1)));
        out.simple("OK");
      } catch (NumberFormatException | ArithmeticException e) {
        out.error("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument couldn't be parsed into an integer");
      }
      return;
    }
    var cfg = session.server().config();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("save", "");
    settings.put("appendonly", "no");
    settings.put("databases", "1");
    settings.put("maxmemory", Long.toString(session.server().maxMemory()));
    settings.put("maxmemory-policy", "noeviction");
    settings.put("maxclients", Integer.toString(cfg.maxClients()));
    settings.put("protected-mode", cfg.protectedMode() ? "yes" : "no");
    settings.put("requirepass", cfg.requirePass() == null ? "" : cfg.requirePass());
    settings.put("port", Integer.toString(session.port()));
    var found = new ArrayList<String>();
    settings.forEach((name, value) -> {
      if (args.stream().anyMatch(p -> Glob.matchesIgnoreCase(p, name))) {
        found.add(name);
        found.add(value);
      }
    });
    out.array(found.size());
    found.forEach(out::bulk);
  }
}
