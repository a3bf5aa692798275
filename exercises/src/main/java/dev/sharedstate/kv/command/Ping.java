package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code PING [message]}: {@code +PONG}, or the message back as a bulk string. While subscribed
 * (RESP2), the reply is an array: {@code pong} and the message (empty if none), as in Redis.
 */
public record Ping(byte[] message) implements Command {
  private static final byte[] PONG = RespWriter.ascii("+PONG\r\n");

  static Command parse(Args args) {
    if (args.count() > 2) return Failure.arity("ping");
    return new Ping(args.count() == 2 ? args.get(1) : null);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    if (session.subscribed()) {
      out.array(2);
      out.bulk("pong");
      out.bulk(message == null ? new byte[0] : message);
    } else if (message == null) {
      out.raw(PONG);
    } else {
      out.bulk(message);
    }
  }
}
