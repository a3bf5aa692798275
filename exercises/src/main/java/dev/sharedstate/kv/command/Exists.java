package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/** {@code EXISTS key [key ...]}: how many of the keys exist (a key named twice counts twice). */
public record Exists(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new Exists(Keys.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    long found = 0;
    for (String key : keys) {
      if (Entry.live(session.store().get(key), now) != null) found++;
    }
    out.integer(found);
  }
}
