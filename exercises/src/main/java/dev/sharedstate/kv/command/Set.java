package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.function.UnaryOperator;

/**
 * {@code SET key value [NX | XX] [GET] [EX seconds | PX millis | EXAT unix-seconds | PXAT unix-millis
 * | KEEPTTL]}: stores the value. Replies {@code +OK}, or the null bulk string when {@code NX}/{@code XX}
 * prevented the write; with {@code GET}, replies the old value instead.
 *
 * @param expiry how to compute the new entry's expiry
 * @param expiryArg seconds or milliseconds, relative or absolute, depending on {@code expiry}
 */
public record Set(
    String key, byte[] value, Condition condition, boolean returnOld, Expiry expiry, long expiryArg)
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
    var condition = Condition.ALWAYS;
    var expiry = Expiry.NONE;
    boolean returnOld = false;
    long expiryArg = 0;
    for (int i = 3; i < args.count(); i++) {
      boolean hasNext = i + 1 < args.count();
      if (args.is(i, "NX") && condition == Condition.ALWAYS) {
        condition = Condition.IF_ABSENT;
      } else if (args.is(i, "XX") && condition == Condition.ALWAYS) {
        condition = Condition.IF_PRESENT;
      } else if (args.is(i, "GET") && !returnOld) {
        returnOld = true;
      } else if (args.is(i, "KEEPTTL") && expiry == Expiry.NONE) {
        expiry = Expiry.KEEP;
      } else if (hasNext && expiry == Expiry.NONE
          && (args.is(i, "EX") || args.is(i, "PX") || args.is(i, "EXAT") || args.is(i, "PXAT"))) {
        boolean seconds = args.is(i, "EX") || args.is(i, "EXAT");
        boolean absolute = args.is(i, "EXAT") || args.is(i, "PXAT");
        long n;
        try {
          n = Numbers.parseLong(args.get(++i));
        } catch (NumberFormatException e) {
          return Failure.notAnInteger();
        }
        if (n <= 0 || (seconds && n > Long.MAX_VALUE / 1000)) {
          return new Failure("ERR invalid expire time in 'set' command");
        }
        expiry = absolute ? Expiry.AT_MILLIS : Expiry.AFTER_MILLIS;
        expiryArg = seconds ? n * 1000 : n;
      } else {
        return Failure.syntax();
      }
    }
    return new Set(args.string(1), args.get(2), condition, returnOld, expiry, expiryArg);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    if (expiry == Expiry.AFTER_MILLIS && expiryArg > Long.MAX_VALUE - now) {
      out.error("ERR invalid expire time in 'set' command");
      return;
    }
    var change = new Change(now);
    session.store().update(key, change);
    if (returnOld) {
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

    Change(long now) {
      this.now = now;
    }

    @Override
    public Entry apply(Entry current) {
      Entry live = Entry.live(current, now);
      previous = live;
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
