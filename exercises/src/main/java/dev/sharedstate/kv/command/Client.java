package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code CLIENT SETNAME | GETNAME | ID | INFO}: what people type to name a connection. Like Redis 7.0,
 * it has no {@code CLIENT SETINFO} (Redis 7.2's): Jedis sends it on connect and ignores the error.
 */
public record Client(String subcommand, String argument) implements Command {

  static Command parse(Args args) {
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
