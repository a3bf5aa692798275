package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;
import java.util.ArrayList;

/**
 * {@code LPOP key [count]} and {@code RPOP}: removes and replies the first (last) element, or with a
 * count an array of up to that many; a list left empty is removed. A missing key replies the null bulk
 * string, or with a count the null array.
 *
 * @param count how many, or -1 when no count was given
 */
public record Pop(String name, String key, long count, boolean head) implements Command {
  static Command parseLpop(Args args) {
    return parse(args, "lpop", true);
  }

  static Command parseRpop(Args args) {
    return parse(args, "rpop", false);
  }

  private static Command parse(Args args, String name, boolean head) {
    if (args.count() > 3) return Failure.arity(name);
    long count = -1;
    if (args.count() == 3) {
      try {
        count = Numbers.parseLong(args.get(2));
      } catch (NumberFormatException e) {
        return Failure.notPositive();
      }
      if (count < 0) return Failure.notPositive();
    }
    return new Pop(name, args.string(1), count, head);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    var popped = new ArrayList<byte[]>();
    boolean[] state = {false, false}; // wrong type, key existed
    session.db().update(key, current -> {
      popped.clear();
      Entry live = Entry.live(current, now);
      state[0] = live != null && !(live.aggregate() instanceof ListValue);
      state[1] = live != null;
      if (live == null) return null; // missing, or expired: removed now
      if (state[0]) return current;
      ListValue list = (ListValue) live.aggregate();
      long n = count < 0 ? 1 : Math.min(count, list.size());
      for (long i = 0; i < n; i++) {
        popped.add(head ? list.first() : list.last());
        list = head ? list.popFront() : list.popBack();
      }
      return list.isEmpty() ? null : Entry.of(list, live.expiresAtMillis());
    });
    if (state[0]) {
      out.error(Failure.WRONGTYPE);
    } else if (count < 0) {
      if (popped.isEmpty()) out.nullBulk();
      else out.bulk(popped.get(0));
    } else if (!state[1]) {
      out.nullArray();
    } else {
      out.array(popped.size());
      for (byte[] e : popped) out.bulk(e);
    }
  }
}
