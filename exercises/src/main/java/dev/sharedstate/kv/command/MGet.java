package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.HashMap;
import java.util.List;

/**
 * {@code MGET key [key ...]}: the values, with a null for each missing key (or one that is not a
 * string). The keys are read as one step: an {@code MGET} never sees part of an {@code MSET}.
 */
public record MGet(List<String> keys) implements Command {
  static Command parse(Args args) {
    return new MGet(KeyArgs.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    List<String> distinct = keys.size() == 1 ? keys : KeyArgs.distinct(keys);
    List<Entry> entries = session.db().getAll(distinct, session.now());
    var byKey = new HashMap<String, Entry>();
    for (int i = 0; i < distinct.size(); i++) byKey.put(distinct.get(i), entries.get(i));
    out.array(keys.size());
    for (String key : keys) {
      Entry entry = byKey.get(key);
      if (entry == null || !entry.isString()) out.nullBulk();
      else out.bulk(entry.value());
    }
  }
}
