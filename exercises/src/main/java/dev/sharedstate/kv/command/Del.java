package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/** {@code DEL key [key ...]}: removes the keys; replies how many existed. */
public record Del(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new Del(Keys.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    long removed = 0;
    for (String key : keys) {
      var existed = new boolean[1];
      session.store().update(key, current -> {
        existed[0] = Entry.live(current, now) != null;
        return null;
      });
      if (existed[0]) removed++;
    }
    out.integer(removed);
  }
}
