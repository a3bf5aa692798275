package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code PING [message]}: {@code +PONG}, or the message back as a bulk string. */
public record Ping(byte[] message) implements Command {
  private static final byte[] PONG = RespWriter.ascii("+PONG\r\n");

  static Command parse(Args args) {
    if (args.count() > 2) return Failure.arity("ping");
    return new Ping(args.count() == 2 ? args.get(1) : null);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    if (message == null) out.raw(PONG);
    else out.bulk(message);
  }
}
