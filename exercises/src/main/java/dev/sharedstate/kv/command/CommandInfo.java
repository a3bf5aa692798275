package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code COMMAND [COUNT | DOCS | INFO | LIST]}: command introspection. {@code redis-cli} 7 sends
 * {@code COMMAND DOCS} on start to show argument hints; this server answers with an empty list, so
 * the hints simply do not show.
 */
public record CommandInfo(String subcommand, int names) implements Command {

  static Command parse(Args args) {
    if (args.count() == 1) return new CommandInfo("", 0);
    for (String sub : new String[] {"COUNT", "DOCS", "INFO", "LIST"}) {
      if (args.is(1, sub)) return new CommandInfo(sub, args.count() - 2);
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try COMMAND HELP.");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    switch (subcommand) {
      case "COUNT" -> out.integer(Commands.count());
      case "LIST" -> {
        var names = Commands.names();
        out.array(names.size());
        names.forEach(out::bulk);
      }
      case "INFO" -> {
        out.array(names);
        for (int i = 0; i < names; i++) out.nullArray();
      }
      default -> out.array(0);
    }
  }
}
