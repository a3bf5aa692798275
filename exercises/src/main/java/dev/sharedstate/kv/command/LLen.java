package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;

/** {@code LLEN key}: the list's length, 0 for a missing key. */
public record LLen(String key) implements Command {
  static Command parse(Args args) {
    return new LLen(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    if (e == null) out.integer(0);
    else if (e.aggregate() instanceof ListValue list) out.integer(list.size());
    else out.error(Failure.WRONGTYPE);
  }
}
