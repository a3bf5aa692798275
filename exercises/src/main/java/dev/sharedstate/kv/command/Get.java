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
    long now = session.now();
    Entry entry = session.store().get(key);
    if (entry != null && entry.isExpiredAt(now)) {
      // Expired: forget it now (unless someone wrote a fresh value meanwhile), as Redis does lazily.
      session.store().update(key, current -> Entry.live(current, now));
      entry = null;
    }
    if (entry == null) out.nullBulk();
    else out.bulk(entry.value());
  }
}
