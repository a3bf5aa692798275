package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MSET key value [key value ...]}: stores every pair, without expiry. Each key is set
 * atomically, but unlike in Redis (one thread for everything) the pairs are not set all at once: a
 * client may see some of them before the others. Chapter 6 explains why a sharded store makes that
 * the honest contract.
 */
public record MSet(List<String> keys, List<byte[]> values) implements Command {
  private static final byte[] OK = RespWriter.ascii("+OK\r\n");

  static Command parse(Args args) {
    if (args.count() % 2 != 1) return Failure.arity("mset");
    var keys = new ArrayList<String>();
    var values = new ArrayList<byte[]>();
    for (int i = 1; i < args.count(); i += 2) {
      keys.add(args.string(i));
      values.add(args.get(i + 1));
    }
    return new MSet(keys, values);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    for (int i = 0; i < keys.size(); i++) {
      Entry entry = Entry.of(values.get(i));
      session.store().update(keys.get(i), current -> entry);
    }
    out.raw(OK);
  }
}
