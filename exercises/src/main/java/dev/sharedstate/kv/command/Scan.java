package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.pubsub.Glob;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;

/**
 * {@code SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]}: one step of an iteration over the
 * keys. Start at 0; each reply is the next cursor and some keys; the iteration is over when the cursor
 * is 0 again. As in Redis: every key that exists for the whole iteration is returned at least once
 * (a key may come twice), {@code COUNT} (default 10) is a hint of how much work to do per call, and
 * {@code MATCH} and {@code TYPE} filter after the keys are collected, so a step may return none.
 */
public record Scan(long cursor, long count, String pattern, String type) implements Command {

  static Command parse(Args args) {
    long cursor;
    try {
      cursor = parseCursor(args.get(1));
    } catch (NumberFormatException e) {
      return new Failure("ERR invalid cursor");
    }
    long count = 10;
    String pattern = null;
    String type = null;
    for (int i = 2; i < args.count(); i++) {
      boolean hasValue = i + 1 < args.count();
      if (args.is(i, "COUNT") && hasValue) {
        try {
          count = Numbers.parseLong(args.get(++i));
        } catch (NumberFormatException e) {
          return Failure.notAnInteger();
        }
        if (count < 1) return Failure.syntax();
      } else if (args.is(i, "MATCH") && hasValue) {
        pattern = args.string(++i);
        if (pattern.equals("*")) pattern = null;
      } else if (args.is(i, "TYPE") && hasValue) {
        type = args.string(++i);
      } else {
        return Failure.syntax();
      }
    }
    return new Scan(cursor, count, pattern, type);
  }

  /** The cursor as C's {@code strtoul} reads it, as Redis does: an unsigned 64-bit number. */
  static long parseCursor(byte[] s) {
    int i = 0;
    if (s.length > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == 0x0b || s[0] == 0x0c)) {
      throw new NumberFormatException();
    }
    boolean negative = false;
    if (i < s.length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.length) {
      if (s.length == 0) return 0; // strtoul("") is 0 with nothing left over: Redis accepts it
      throw new NumberFormatException();
    }
    long v = 0;
    for (; i < s.length; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) throw new NumberFormatException();
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) throw new NumberFormatException();
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    var found = new ArrayList<String>();
    long next = session.db().keyspace().scan(cursor, count, now, found::add);
    var keys = new ArrayList<String>(found.size());
    for (String key : found) {
      if (pattern != null && !Glob.matches(pattern, key)) continue;
      if (type != null) {
        Entry e = session.db().live(key, now);
        if (e == null || !e.type().equalsIgnoreCase(type)) continue;
      }
      keys.add(key);
    }
    out.array(2);
    out.bulk(Long.toUnsignedString(next));
    out.array(keys.size());
    keys.forEach(out::bulk);
  }
}
