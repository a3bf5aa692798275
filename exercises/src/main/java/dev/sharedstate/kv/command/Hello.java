package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code HELLO [protover [AUTH user pass] [SETNAME name]]}: the handshake newer clients may send. This
 * server speaks RESP2 only: {@code HELLO 3} gets {@code -NOPROTO}, as from a Redis that lacks RESP3,
 * and clients then stay on RESP2. Without a password configured, {@code AUTH default <anything>}
 * succeeds, as in Redis.
 */
public record Hello(String clientName, String user, byte[] password, boolean hasVersion) implements Command {

  static Command parse(Args args) {
    String name = null;
    String user = null;
    byte[] password = null;
    if (args.count() >= 2) {
      long version;
      try {
        version = Numbers.parseLong(args.get(1));
      } catch (NumberFormatException e) {
        return new Failure("ERR Protocol version is not an integer or out of range");
      }
      if (version != 2) return new Failure("NOPROTO unsupported protocol version");
      for (int i = 2; i < args.count(); i++) {
        if (args.is(i, "AUTH") && args.count() - i - 1 >= 2) {
          user = args.string(i + 1);
          password = args.get(i + 2);
          i += 2;
        } else if (args.is(i, "SETNAME") && args.count() - i - 1 >= 1) {
          name = args.string(++i);
          if (!Client.validName(name)) return Client.badName();
        } else {
          return new Failure("ERR Syntax error in HELLO option '" + args.string(i) + "'");
        }
      }
    }
    return new Hello(name, user, password, args.count() >= 2);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    if (password != null) {
      if (!Auth.check(session, user, password)) {
        out.error(Auth.WRONGPASS);
        return;
      }
      session.authenticated(true);
    }
    if (!session.authenticated()) {
      out.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
          + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
          + "the RESP protocol version at the same time");
      return;
    }
    if (clientName != null) session.clientName(clientName);
    out.array(14);
    out.bulk("server");
    out.bulk(Info.SERVER_NAME);
    out.bulk("version");
    out.bulk(Info.REDIS_VERSION);
    out.bulk("proto");
    out.integer(2);
    out.bulk("id");
    out.integer(session.id());
    out.bulk("mode");
    out.bulk("standalone");
    out.bulk("role");
    out.bulk("master");
    out.bulk("modules");
    out.array(0);
  }
}
