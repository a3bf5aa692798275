package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code DBSIZE}: how many keys there are (expired ones not yet removed included, as in Redis). */
public record DbSize() implements Command {
  static Command parse(Args args) {
    return new DbSize();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.integer(session.db().keyspace().size());
  }
}
