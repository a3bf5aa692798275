package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.function.UnaryOperator;

/**
 * {@code INCR key}, {@code DECR key}, {@code INCRBY key n}, {@code DECRBY key n}: adds to the integer
 * stored at the key (a missing key counts as 0) and replies the new value. The expiry is kept.
 */
public record Incr(String key, long delta) implements Command {

  static Command parseIncr(Args args) {
    return new Incr(args.string(1), 1);
  }

  static Command parseDecr(Args args) {
    return new Incr(args.string(1), -1);
  }

  static Command parseIncrBy(Args args) {
    try {
      return new Incr(args.string(1), Numbers.parseLong(args.get(2)));
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  static Command parseDecrBy(Args args) {
    try {
      long n = Numbers.parseLong(args.get(2));
      if (n == Long.MIN_VALUE) return new Failure("ERR decrement would overflow");
      return new Incr(args.string(1), -n);
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var change = new Change(session.now());
    session.db().update(key, change);
    if (change.error != null) out.error(change.error);
    else out.integer(change.result);
  }

  /** The addition as a function of the current entry. Never throws: an error leaves the entry as is. */
  private final class Change implements UnaryOperator<Entry> {
    private final long now;
    String error;
    long result;

    Change(long now) {
      this.now = now;
    }

    @Override
    public Entry apply(Entry current) {
      Entry live = Entry.live(current, now);
      error = null;
      long old;
      if (live == null) {
        old = 0;
      } else if (!live.isString()) {
        error = Failure.WRONGTYPE;
        return current;
      } else {
        try {
          old = Numbers.parseLong(live.value());
        } catch (NumberFormatException e) {
          error = "ERR value is not an integer or out of range";
          return live;
        }
      }
      try {
        result = Math.addExact(old, delta);
      } catch (ArithmeticException e) {
        error = "ERR increment or decrement would overflow";
        return live;
      }
      return new Entry(Numbers.toBytes(result), live == null ? Entry.NEVER : live.expiresAtMillis());
    }
  }
}
