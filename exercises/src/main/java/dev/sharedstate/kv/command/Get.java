package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code GET key}: the value, or the null bulk string if the key is missing or expired. */
public record Get(String key) implements Command {
  static Command parse(Args args) {
    return new Get(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry entry = session.db().live(key, session.now()); // an expired key is removed now, as Redis does lazily
    if (entry == null) out.nullBulk();
    else if (!entry.isString()) out.error(Failure.WRONGTYPE);
    else out.bulk(entry.value());
  }
}
