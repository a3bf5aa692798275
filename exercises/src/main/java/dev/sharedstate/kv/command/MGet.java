package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/** {@code MGET key [key ...]}: the values, with a null for each missing key. */
public record MGet(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new MGet(Keys.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    out.array(keys.size());
    for (String key : keys) {
      Entry entry = Entry.live(session.store().get(key), now);
      if (entry == null) out.nullBulk();
      else out.bulk(entry.value());
    }
  }
}
