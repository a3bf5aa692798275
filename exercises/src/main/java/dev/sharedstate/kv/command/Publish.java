package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code PUBLISH channel message}: sends the message to the channel's subscribers; replies how many got it. */
public record Publish(String channel, byte[] message) implements Command {
  static Command parse(Args args) {
    return new Publish(args.string(1), args.get(2));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.integer(session.server().pubsub().publish(channel, message));
  }
}
