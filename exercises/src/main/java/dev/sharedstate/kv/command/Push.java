package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.ListValue;
import java.util.List;

/**
 * {@code LPUSH key element [element ...]} and {@code RPUSH}: adds the elements at the head (each in
 * turn, so they end up reversed) or the tail, creating the list if needed; {@code LPUSHX} and {@code
 * RPUSHX} only if the list exists. Replies the list's new length.
 */
public record Push(String key, List<byte[]> elements, boolean head, boolean onlyIfExists) implements Command {
  static Command parseLpush(Args args) {
    return parse(args, true, false);
  }

  static Command parseRpush(Args args) {
    return parse(args, false, false);
  }

  static Command parseLpushx(Args args) {
    return parse(args, true, true);
  }

  static Command parseRpushx(Args args) {
    return parse(args, false, true);
  }

  private static Command parse(Args args, boolean head, boolean onlyIfExists) {
    var elements = new java.util.ArrayList<byte[]>(args.count() - 2);
    for (int i = 2; i < args.count(); i++) elements.add(args.get(i));
    return new Push(args.string(1), elements, head, onlyIfExists);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    long[] length = {0};
    boolean[] wrongType = {false};
    session.db().update(key, current -> {
      Entry live = Entry.live(current, now);
      wrongType[0] = live != null && !(live.aggregate() instanceof ListValue);
      if (wrongType[0]) return current;
      if (live == null && onlyIfExists) {
        length[0] = 0;
        return null;
      }
      ListValue list = live == null ? ListValue.EMPTY : (ListValue) live.aggregate();
      for (byte[] e : elements) list = head ? list.pushFront(e) : list.pushBack(e);
      length[0] = list.size();
      return Entry.of(list, live == null ? Entry.NEVER : live.expiresAtMillis());
    });
    if (wrongType[0]) out.error(Failure.WRONGTYPE);
    else out.integer(length[0]);
  }
}
