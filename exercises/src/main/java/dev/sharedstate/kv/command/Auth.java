package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code AUTH password} and {@code AUTH default password}, as Redis 7 answers them with {@code
 * requirepass}: the one user is {@code default}; a wrong password or another user name gets {@code
 * -WRONGPASS}. With no password configured, {@code AUTH password} is an error and {@code AUTH default
 * anything} succeeds (the default user has no password).
 */
public record Auth(String user, byte[] password) implements Command {
  static Command parse(Args args) {
    if (args.count() > 3) return Failure.syntax();
    return args.count() == 2 ? new Auth(null, args.get(1)) : new Auth(args.string(1), args.get(2));
  }

  static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

  @Override
  public void execute(Session session, RespWriter out) {
    String required = session.server().config().requirePass();
    if (user == null && required == null) {
      out.error("ERR AUTH <password> called without any password configured for the default user. "
          + "Are you sure your configuration is correct?");
      return;
    }
    if (check(session, user, password)) {
      session.authenticated(true);
      out.simple("OK");
    } else {
      out.error(WRONGPASS);
    }
  }

  /** True if {@code user} (null: default) and {@code password} are right for this server. */
  static boolean check(Session session, String user, byte[] password) {
    if (user != null && !user.equals("default")) return false;
    String required = session.server().config().requirePass();
    if (required == null) return true;
    return MessageDigest.isEqual(required.getBytes(StandardCharsets.UTF_8), password);
  }
}
