package dev.sharedstate.kv.command;

import dev.sharedstate.kv.pubsub.Glob;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code COMMAND [COUNT | DOCS | INFO | LIST | GETKEYS | HELP]}: command introspection. {@code COMMAND}
 * and {@code COMMAND INFO} describe each command by name, arity, flags and key positions (the
 * first six fields of Redis's entry; the rest are empty). {@code redis-cli} 7 sends {@code COMMAND
 * DOCS} on start to show argument hints; this server has no documentation to give, so the hints
 * simply do not show.
 */
public record CommandInfo(String subcommand, Args request) implements Command {
  private static final String[] HELP = {
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all commands of this server.",
    "COUNT",
    "    Return the total number of commands in this server.",
    "LIST [FILTERBY PATTERN <glob>]",
    "    Return a list of all commands in this server (ACL categories and modules: none).",
    "INFO [<command-name> ...]",
    "    Return details about multiple commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    This server has no command documentation: an empty map.",
    "GETKEYS <full-command>",
    "    Return the keys from a full command.",
    "HELP",
    "    Print this help.",
  };

  static Command parse(Args args) {
    if (args.count() == 1) return new CommandInfo("INFO", null);
    if (args.is(1, "COUNT") || args.is(1, "HELP")) {
      if (args.count() != 2) return Failure.arity("command|" + args.string(1).toLowerCase(Locale.ROOT));
      return new CommandInfo(args.string(1).toUpperCase(Locale.ROOT), null);
    }
    if (args.is(1, "GETKEYS")) {
      if (args.count() < 4) return Failure.arity("command|getkeys");
      Object keys = Commands.keysOf(args, 2);
      if (keys instanceof Failure f) return f;
      return new CommandInfo("GETKEYS", copy(args));
    }
    if (args.is(1, "LIST")) {
      if (args.count() == 2) return new CommandInfo("LIST", null);
      if (args.count() != 5 || !args.is(2, "FILTERBY")) return Failure.syntax();
      if (args.is(3, "PATTERN") || args.is(3, "MODULE") || args.is(3, "ACLCAT")) return new CommandInfo("LIST", copy(args));
      return Failure.syntax();
    }
    if (args.is(1, "INFO") || args.is(1, "DOCS")) {
      return new CommandInfo(args.string(1).toUpperCase(Locale.ROOT), args.count() > 2 ? copy(args) : null);
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try COMMAND HELP.");
  }

  /** The request outlives the connection's reusable {@code Args}: keep a copy. */
  private static Args copy(Args args) {
    var c = new Args();
    for (int i = 0; i < args.count(); i++) c.add(args.get(i));
    return c;
  }

  @Override
  public void execute(Session session, RespWriter out) {
    switch (subcommand) {
      case "COUNT" -> out.integer(Commands.count());
      case "HELP" -> {
        out.array(HELP.length);
        for (String line : HELP) out.simple(line);
      }
      case "INFO" -> {
        if (request == null) {
          Commands.describeAll(out);
        } else {
          out.array(request.count() - 2);
          for (int i = 2; i < request.count(); i++) Commands.describe(request.get(i), out);
        }
      }
      case "GETKEYS" -> {
        @SuppressWarnings("unchecked")
        var keys = (List<byte[]>) Commands.keysOf(request, 2);
        out.array(keys.size());
        keys.forEach(out::bulk);
      }
      case "LIST" -> {
        var names = new ArrayList<String>();
        if (request == null) {
          names.addAll(Commands.names());
        } else if (request.is(3, "PATTERN")) {
          for (String n : Commands.names()) if (Glob.matchesIgnoreCase(request.string(4), n)) names.add(n);
        } // MODULE or ACLCAT: this server has neither modules nor ACL categories
        out.array(names.size());
        names.forEach(out::bulk);
      }
      default -> out.array(0); // DOCS
    }
  }
}
