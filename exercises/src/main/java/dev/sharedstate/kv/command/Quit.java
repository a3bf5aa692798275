package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code QUIT}: {@code +OK}, then the server closes the connection. */
public record Quit() implements Command {
  static Command parse(Args args) {
    return new Quit();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.simple("OK");
    session.close();
  }
}
