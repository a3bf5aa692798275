package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code CONFIG GET pattern [pattern ...]}: the few settings clients ask about. {@code redis-benchmark}
 * asks for {@code save} and {@code appendonly} before it starts; this server keeps nothing on disk.
 */
public record Config(java.util.List<String> patterns) implements Command {
  private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("save", "");
    SETTINGS.put("appendonly", "no");
    SETTINGS.put("databases", "1");
  }

  static Command parse(Args args) {
    if (args.is(1, "GET")) {
      if (args.count() < 3) return Failure.arity("config|get");
      return new Config(Keys.from(args, 2));
    }
    if (args.is(1, "SET") || args.is(1, "RESETSTAT") || args.is(1, "REWRITE")) {
      return new Failure("ERR CONFIG " + args.string(1).toUpperCase(java.util.Locale.ROOT)
          + " is not supported by this server");
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try CONFIG HELP.");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var found = new ArrayList<String>();
    SETTINGS.forEach((name, value) -> {
      if (patterns.stream().anyMatch(p -> Glob.matches(p.toLowerCase(java.util.Locale.ROOT), name))) {
        found.add(name);
        found.add(value);
      }
    });
    out.array(found.size());
    found.forEach(out::bulk);
  }
}
