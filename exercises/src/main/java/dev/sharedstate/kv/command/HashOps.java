package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.HashValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The hash commands: {@code HSET key field value [field value ...]} (replies how many fields are new),
 * {@code HGET}, {@code HDEL} (how many removed), {@code HLEN}, {@code HGETALL}.
 */
public record HashOps(Op op, String key, List<String> fields, List<byte[]> values) implements Command {
  /** Which hash command. */
  public enum Op { HSET, HGET, HDEL, HLEN, HGETALL }

  static Command parseHset(Args args) {
    if (args.count() % 2 != 0) return Failure.arity("hset");
    var fields = new ArrayList<String>();
    var values = new ArrayList<byte[]>();
    for (int i = 2; i < args.count(); i += 2) {
      fields.add(args.string(i));
      values.add(args.get(i + 1));
    }
    return new HashOps(Op.HSET, args.string(1), fields, values);
  }

  static Command parseHget(Args args) {
    return new HashOps(Op.HGET, args.string(1), List.of(args.string(2)), List.of());
  }

  static Command parseHdel(Args args) {
    return new HashOps(Op.HDEL, args.string(1), KeyArgs.from(args, 2), List.of());
  }

  static Command parseHlen(Args args) {
    return new HashOps(Op.HLEN, args.string(1), List.of(), List.of());
  }

  static Command parseHgetall(Args args) {
    return new HashOps(Op.HGETALL, args.string(1), List.of(), List.of());
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    if (op == Op.HSET || op == Op.HDEL) {
      write(session, out, now);
      return;
    }
    Entry e = session.db().live(key, now);
    if (e != null && !(e.aggregate() instanceof HashValue)) {
      out.error(Failure.WRONGTYPE);
      return;
    }
    HashValue hash = e == null ? null : (HashValue) e.aggregate();
    switch (op) {
      case HGET -> {
        byte[] v = hash == null ? null : hash.fields().get(fields.get(0));
        if (v == null) out.nullBulk();
        else out.bulk(v);
      }
      case HLEN -> out.integer(hash == null ? 0 : hash.size());
      default -> {
        out.array(hash == null ? 0 : 2 * hash.size());
        if (hash != null) {
          hash.fields().forEach((f, v) -> {
            out.bulk(f);
            out.bulk(v);
          });
        }
      }
    }
  }

  private void write(Session session, RespWriter out, long now) {
    long[] changed = {0};
    boolean[] wrongType = {false};
    session.db().update(key, current -> {
      changed[0] = 0;
      Entry live = Entry.live(current, now);
      wrongType[0] = live != null && !(live.aggregate() instanceof HashValue);
      if (wrongType[0]) return current;
      var map = new LinkedHashMap<String, byte[]>(live == null ? java.util.Map.of() : ((HashValue) live.aggregate()).fields());
      if (op == Op.HSET) {
        for (int i = 0; i < fields.size(); i++) if (map.put(fields.get(i), values.get(i)) == null) changed[0]++;
      } else {
        for (String f : fields) if (map.remove(f) != null) changed[0]++;
      }
      HashValue next = HashValue.of(map);
      return next == null ? null : Entry.of(next, live == null ? Entry.NEVER : live.expiresAtMillis());
    });
    if (wrongType[0]) out.error(Failure.WRONGTYPE);
    else out.integer(changed[0]);
  }
}
