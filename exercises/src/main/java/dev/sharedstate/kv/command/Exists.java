package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.HashMap;
import java.util.List;

/** {@code EXISTS key [key ...]}: how many of the keys exist (a key named twice counts twice). */
public record Exists(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new Exists(KeyArgs.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    List<String> distinct = KeyArgs.distinct(keys);
    List<Entry> entries = session.db().getAll(distinct, session.now());
    var live = new HashMap<String, Boolean>();
    for (int i = 0; i < distinct.size(); i++) live.put(distinct.get(i), entries.get(i) != null);
    long found = 0;
    for (String key : keys) if (live.get(key)) found++;
    out.integer(found);
  }
}
