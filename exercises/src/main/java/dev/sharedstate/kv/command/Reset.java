package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code RESET}: the connection starts over, as Redis 6.2+ does it. It leaves every channel and pattern
 * (without the unsubscribe replies) and stops monitoring, forgets its name and {@code NO-EVICT}, and
 * must {@code AUTH} again when the server has a password. Allowed before {@code AUTH} and while
 * subscribed, which is how a client leaves pub/sub mode without knowing its channels; the error for a
 * command sent while subscribed names it.
 */
public record Reset() implements Command {
  private static final byte[] RESET = RespWriter.ascii("+RESET\r\n");

  static Command parse(Args args) {
    return new Reset();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    session.reset();
    out.raw(RESET);
  }
}
