package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code ECHO message}: the message back. */
public record Echo(byte[] message) implements Command {
  static Command parse(Args args) {
    return new Echo(args.get(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.bulk(message);
  }
}
