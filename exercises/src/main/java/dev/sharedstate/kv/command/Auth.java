package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code AUTH [user] password}: this server has no password, and says so as Redis does. */
public record Auth() implements Command {
  static Command parse(Args args) {
    if (args.count() > 3) return Failure.syntax();
    return new Auth();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.error(
        "ERR AUTH <password> called without any password configured for the default user. "
            + "Are you sure your configuration is correct?");
  }
}
