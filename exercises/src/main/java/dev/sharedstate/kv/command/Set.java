package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.function.UnaryOperator;

/**
 * {@code SET key value [NX | XX] [GET] [EX seconds | PX millis | EXAT unix-seconds | PXAT unix-millis
 * | KEEPTTL]}: stores the value. Replies {@code +OK}, or the null bulk string when {@code NX}/{@code XX}
 * prevented the write; with {@code GET}, replies the old value instead. Also {@code SETEX key seconds
 * value}, {@code PSETEX key millis value} and {@code SETNX key value} (which replies 1 or 0).
 *
 * @param name the command's name, for error messages
 * @param expiry how to compute the new entry's expiry
 * @param expiryArg seconds or milliseconds, relative or absolute, depending on {@code expiry}
 * @param integerReply reply 1 (written) or 0 (not), as {@code SETNX} does
 */
public record Set(
    String name,
    String key,
    byte[] value,
    Condition condition,
    boolean returnOld,
    Expiry expiry,
    long expiryArg,
    boolean integerReply)
    implements Command {

  /** When the write happens. */
  public enum Condition {
    ALWAYS,
    IF_ABSENT,
    IF_PRESENT
  }

  /** What the new entry's expiry is. */
  public enum Expiry {
    NONE,
    AFTER_MILLIS,
    AT_MILLIS,
    KEEP
  }

  private static final byte[] OK = RespWriter.ascii("+OK\r\n");

  static Command parse(Args args) {
    // Redis's parseExtendedStringArgumentsOrReply: a flag may repeat (the last EX/PX/EXAT/PXAT value
    // wins), only conflicting ones are a syntax error, and the value is checked after the whole
    // option list parsed, so "EX abc FOO" is a syntax error and "EX abc EX 5" sets 5 seconds.
    var condition = Condition.ALWAYS;
    boolean returnOld = false;
    boolean keepTtl = false;
    String unit = null; // EX, PX, EXAT or PXAT
    byte[] expiryValue = null;
    for (int i = 3; i < args.count(); i++) {
      boolean hasNext = i + 1 < args.count();
      if (args.is(i, "NX") && condition != Condition.IF_PRESENT) {
        condition = Condition.IF_ABSENT;
      } else if (args.is(i, "XX") && condition != Condition.IF_ABSENT) {
        condition = Condition.IF_PRESENT;
      } else if (args.is(i, "GET")) {
        returnOld = true;
      } else if (args.is(i, "KEEPTTL") && unit == null) {
        keepTtl = true;
      } else if (hasNext && !keepTtl && expiryUnit(args, i) != null
          && (unit == null || unit.equals(expiryUnit(args, i)))) {
        unit = expiryUnit(args, i);
        expiryValue = args.get(++i);
      } else {
        return Failure.syntax();
      }
    }
    var expiry = keepTtl ? Expiry.KEEP : Expiry.NONE;
    long expiryArg = 0;
    if (unit != null) {
      boolean seconds = unit.equals("EX") || unit.equals("EXAT");
      long n;
      try {
        n = Numbers.parseLong(expiryValue);
      } catch (NumberFormatException e) {
        return Failure.notAnInteger();
      }
      if (n <= 0 || (seconds && n > Long.MAX_VALUE / 1000)) return invalidExpire("set");
      expiry = unit.endsWith("AT") ? Expiry.AT_MILLIS : Expiry.AFTER_MILLIS;
      expiryArg = seconds ? n * 1000 : n;
    }
    return new Set("set", args.string(1), args.get(2), condition, returnOld, expiry, expiryArg, false);
  }

  private static String expiryUnit(Args args, int i) {
    for (String unit : new String[] {"EX", "PX", "EXAT", "PXAT"}) {
      if (args.is(i, unit)) return unit;
    }
    return null;
  }

  static Command parseSetex(Args args) {
    return parseWithExpiry(args, "setex", true);
  }

  static Command parsePsetex(Args args) {
    return parseWithExpiry(args, "psetex", false);
  }

  private static Command parseWithExpiry(Args args, String name, boolean seconds) {
    long n;
    try {
      n = Numbers.parseLong(args.get(2));
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
    if (n <= 0 || (seconds && n > Long.MAX_VALUE / 1000)) return invalidExpire(name);
    return new Set(name, args.string(1), args.get(3), Condition.ALWAYS, false, Expiry.AFTER_MILLIS,
        seconds ? n * 1000 : n, false);
  }

  static Command parseSetnx(Args args) {
    return new Set("setnx", args.string(1), args.get(2), Condition.IF_ABSENT, false, Expiry.NONE, 0, true);
  }

  private static Failure invalidExpire(String name) {
    return new Failure("ERR invalid expire time in '" + name + "' command");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    if (expiry == Expiry.AFTER_MILLIS && expiryArg > Long.MAX_VALUE - now) {
      out.error(invalidExpire(name).message());
      return;
    }
    var change = new Change(now);
    session.db().update(key, change);
    if (change.wrongType) {
      out.error(Failure.WRONGTYPE);
    } else if (integerReply) {
      out.integer(change.written ? 1 : 0);
    } else if (returnOld) {
      if (change.previous == null) out.nullBulk();
      else out.bulk(change.previous.value());
    } else if (change.written) {
      out.raw(OK);
    } else {
      out.nullBulk();
    }
  }

  /** The write as a function of the current entry; records what it saw for the reply. */
  private final class Change implements UnaryOperator<Entry> {
    private final long now;
    Entry previous;
    boolean written;
    boolean wrongType;

    Change(long now) {
      this.now = now;
    }

    @Override
    public Entry apply(Entry current) {
      Entry live = Entry.live(current, now);
      previous = live;
      wrongType = returnOld && live != null && !live.isString();
      if (wrongType) {
        written = false;
        return current;
      }
      written =
          switch (condition) {
            case ALWAYS -> true;
            case IF_ABSENT -> live == null;
            case IF_PRESENT -> live != null;
          };
      if (!written) return live;
      long expiresAt =
          switch (expiry) {
            case NONE -> Entry.NEVER;
            case AFTER_MILLIS -> now + expiryArg;
            case AT_MILLIS -> expiryArg;
            case KEEP -> live == null ? Entry.NEVER : live.expiresAtMillis();
          };
      return new Entry(value, expiresAt);
    }
  }
}
