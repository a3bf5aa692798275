package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;

/**
 * {@code LRANGE key start stop}: the elements from start to stop, both included; negative indexes
 * count from the end (-1 is the last), and out-of-range ones are clamped, as in Redis.
 */
public record LRange(String key, long start, long stop) implements Command {
  static Command parse(Args args) {
    try {
      return new LRange(args.string(1), Numbers.parseLong(args.get(2)), Numbers.parseLong(args.get(3)));
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    if (e == null) {
      out.array(0);
      return;
    }
    if (!(e.aggregate() instanceof ListValue list)) {
      out.error(Failure.WRONGTYPE);
      return;
    }
    long size = list.size();
    long from = start < 0 ? Math.max(size + start, 0) : start;
    long to = stop < 0 ? size + stop : Math.min(stop, size - 1);
    if (from > to || from >= size) {
      out.array(0);
      return;
    }
    var elements = list.range((int) from, (int) to);
    out.array(elements.size());
    for (byte[] v : elements) out.bulk(v);
  }
}
