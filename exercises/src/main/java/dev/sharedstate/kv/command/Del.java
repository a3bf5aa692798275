package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/**
 * {@code DEL key [key ...]} (and {@code UNLINK}): removes the keys as one step; replies how many
 * existed.
 */
public record Del(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new Del(KeyArgs.distinct(KeyArgs.from(args, 1)));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    List<Entry> before;
    if (keys.size() == 1) {
      Entry[] seen = new Entry[1];
      session.db().update(keys.get(0), current -> {
        seen[0] = current;
        return null;
      });
      before = java.util.Arrays.asList(seen);
    } else {
      before = session.db().updateAll(keys, (i, current) -> null);
    }
    long removed = 0;
    for (Entry e : before) if (Entry.live(e, now) != null) removed++;
    out.integer(removed);
  }
}
