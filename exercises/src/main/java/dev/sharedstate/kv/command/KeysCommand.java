package dev.sharedstate.kv.command;

import dev.sharedstate.kv.pubsub.Glob;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;

/**
 * {@code KEYS pattern}: every key matching the glob pattern. As in Redis, it walks every key at once:
 * on a large database use {@code SCAN}.
 */
public record KeysCommand(String pattern) implements Command {
  static Command parse(Args args) {
    return new KeysCommand(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    boolean all = pattern.equals("*");
    var matched = new ArrayList<String>();
    for (String key : session.db().keyspace().keys(session.now())) {
      if (all || Glob.matches(pattern, key)) matched.add(key);
    }
    out.array(matched.size());
    matched.forEach(out::bulk);
  }
}
