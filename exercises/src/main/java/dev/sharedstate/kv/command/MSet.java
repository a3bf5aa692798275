package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code MSET key value [key value ...]}: stores every pair, without expiry, as one step: no {@code
 * MGET} sees some of the pairs and not the others (see {@link dev.sharedstate.kv.db.Db#updateAll} for
 * how, and {@link dev.sharedstate.kv.MultiKeyStore} for a store that does it itself). A key named
 * twice gets its last value.
 */
public record MSet(List<String> keys, List<byte[]> values) implements Command {
  private static final byte[] OK = RespWriter.ascii("+OK\r\n");

  static Command parse(Args args) {
    if (args.count() % 2 != 1) return Failure.arity("mset");
    var pairs = new LinkedHashMap<String, byte[]>();
    for (int i = 1; i < args.count(); i += 2) pairs.put(args.string(i), args.get(i + 1));
    return new MSet(new ArrayList<>(pairs.keySet()), new ArrayList<>(pairs.values()));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    session.db().updateAll(keys, (i, current) -> Entry.of(values.get(i)));
    out.raw(OK);
  }
}
