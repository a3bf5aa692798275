package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code FLUSHDB [ASYNC | SYNC]} and {@code FLUSHALL} (this server has one database): removes every
 * key, as one step for readers of several keys. Unlike Redis's, it is not one step for single-key
 * writers: a key written during the flush may survive it.
 */
public record Flush() implements Command {
  static Command parse(Args args) {
    if (args.count() > 2) return Failure.syntax();
    if (args.count() == 2 && !args.is(1, "ASYNC") && !args.is(1, "SYNC")) return Failure.syntax();
    return new Flush();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var keys = session.db().keyspace().keys(Long.MIN_VALUE);
    if (!keys.isEmpty()) session.db().updateAll(keys, (i, current) -> null);
    out.simple("OK");
  }
}
