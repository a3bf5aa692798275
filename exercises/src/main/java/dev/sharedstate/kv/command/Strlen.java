package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code STRLEN key}: the length of the string, 0 for a missing key. */
public record Strlen(String key) implements Command {
  static Command parse(Args args) {
    return new Strlen(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    if (e == null) out.integer(0);
    else if (!e.isString()) out.error(Failure.WRONGTYPE);
    else out.integer(e.value().length);
  }
}
