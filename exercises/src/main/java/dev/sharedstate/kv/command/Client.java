package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code CLIENT SETINFO | SETNAME | GETNAME | ID | INFO}: what client libraries send on connect
 * (Jedis sends {@code CLIENT SETINFO LIB-NAME} and {@code LIB-VER}) and what people type to name a
 * connection.
 */
public record Client(String subcommand, String argument) implements Command {

  static Command parse(Args args) {
    if (args.is(1, "SETINFO")) {
      if (args.count() != 4) return Failure.arity("client|setinfo");
      if (!args.is(2, "LIB-NAME") && !args.is(2, "LIB-VER")) {
        return new Failure("ERR Unrecognized option '" + args.string(2) + "'");
      }
      return new Client("SETINFO", null);
    }
    if (args.is(1, "SETNAME")) {
      if (args.count() != 3) return Failure.arity("client|setname");
      String name = args.string(2);
      if (!validName(name)) return badName();
      return new Client("SETNAME", name);
    }
    for (String sub : new String[] {"GETNAME", "ID", "INFO"}) {
      if (args.is(1, sub)) {
        if (args.count() != 2) return Failure.arity("client|" + sub.toLowerCase(java.util.Locale.ROOT));
        return new Client(sub, null);
      }
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try CLIENT HELP.");
  }

  /** Redis refuses names with blanks, newlines or other special characters. */
  static boolean validName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') return false;
    }
    return true;
  }

  static Failure badName() {
    return new Failure("ERR Client names cannot contain spaces, newlines or special characters.");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    switch (subcommand) {
      case "SETINFO" -> out.simple("OK");
      case "SETNAME" -> {
        session.clientName(argument.isEmpty() ? null : argument);
        out.simple("OK");
      }
      case "GETNAME" -> {
        if (session.clientName() == null) out.nullBulk();
        else out.bulk(session.clientName());
      }
      case "ID" -> out.integer(session.id());
      case "INFO" ->
          out.bulk("id=" + session.id() + " name=" + (session.clientName() == null ? "" : session.clientName())
              + " db=0\n");
      default -> throw new IllegalStateException(subcommand);
    }
  }
}
