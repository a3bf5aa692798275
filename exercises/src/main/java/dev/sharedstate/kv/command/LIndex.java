package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;

/**
 * {@code LINDEX key index}: the element at index (negative counts from the end), or the null bulk
 * string. As in Redis, the key is looked up before the index is parsed: a missing key answers nil and
 * a string answers {@code WRONGTYPE} whatever the index says.
 */
public record LIndex(String key, byte[] indexArg) implements Command {
  static Command parse(Args args) {
    return new LIndex(args.string(1), args.get(2));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    if (e == null) {
      out.nullBulk();
    } else if (!(e.aggregate() instanceof ListValue list)) {
      out.error(Failure.WRONGTYPE);
    } else {
      long index;
      try {
        index = Numbers.parseLong(indexArg);
      } catch (NumberFormatException ex) {
        out.error(Failure.notAnInteger().message());
        return;
      }
      long i = index < 0 ? list.size() + index : index;
      if (i < 0 || i >= list.size()) out.nullBulk();
      else out.bulk(list.get((int) i));
    }
  }
}
