package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;

/** {@code LINDEX key index}: the element at index (negative counts from the end), or the null bulk string. */
public record LIndex(String key, long index) implements Command {
  static Command parse(Args args) {
    try {
      return new LIndex(args.string(1), Numbers.parseLong(args.get(2)));
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    if (e == null) {
      out.nullBulk();
    } else if (!(e.aggregate() instanceof ListValue list)) {
      out.error(Failure.WRONGTYPE);
    } else {
      long i = index < 0 ? list.size() + index : index;
      if (i < 0 || i >= list.size()) out.nullBulk();
      else out.bulk(list.get((int) i));
    }
  }
}
