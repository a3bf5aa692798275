package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code EXPIRE key seconds [NX | XX | GT | LT]}, and {@code PEXPIRE} (milliseconds), {@code EXPIREAT}
 * and {@code PEXPIREAT} (a Unix time): sets the key's expiry; replies 1 if it did, 0 if the key is
 * missing or the condition failed. A time already past deletes the key (and replies 1), as in Redis.
 *
 * @param when the argument, already in milliseconds (relative unless {@code absolute})
 */
public record Expire(String key, long when, boolean absolute, int flags, String name) implements Command {
  private static final int NX = 1, XX = 2, GT = 4, LT = 8;

  static Command parseExpire(Args args) {
    return parse(args, "expire", true, false);
  }

  static Command parsePexpire(Args args) {
    return parse(args, "pexpire", false, false);
  }

  static Command parseExpireAt(Args args) {
    return parse(args, "expireat", true, true);
  }

  static Command parsePexpireAt(Args args) {
    return parse(args, "pexpireat", false, true);
  }

  private static Command parse(Args args, String name, boolean seconds, boolean absolute) {
    int flags = 0;
    for (int i = 3; i < args.count(); i++) {
      if (args.is(i, "NX")) flags |= NX;
      else if (args.is(i, "XX")) flags |= XX;
      else if (args.is(i, "GT")) flags |= GT;
      else if (args.is(i, "LT")) flags |= LT;
      else return new Failure("ERR Unsupported option " + args.string(i));
    }
    if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
      return new Failure("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if ((flags & GT) != 0 && (flags & LT) != 0) {
      return new Failure("ERR GT and LT options at the same time are not compatible");
    }
    long when;
    try {
      when = Numbers.parseLong(args.get(2));
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) return invalid(name);
      when *= 1000;
    }
    return new Expire(args.string(1), when, absolute, flags, name);
  }

  private static Failure invalid(String name) {
    return new Failure("ERR invalid expire time in '" + name + "' command");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    long at = when;
    if (!absolute) {
      if (when > Long.MAX_VALUE - now) {
        out.error(invalid(name).message());
        return;
      }
      at = when + now;
    }
    long target = at;
    boolean[] done = {false};
    session.db().update(key, current -> {
      Entry live = Entry.live(current, now);
      done[0] = false;
      if (live == null) return live;
      long currentExpiry = live.expiresAtMillis() == Entry.NEVER ? -1 : live.expiresAtMillis();
      if ((flags & NX) != 0 && currentExpiry != -1) return live;
      if ((flags & XX) != 0 && currentExpiry == -1) return live;
      if ((flags & GT) != 0 && (target <= currentExpiry || currentExpiry == -1)) return live;
      if ((flags & LT) != 0 && currentExpiry != -1 && target >= currentExpiry) return live;
      done[0] = true;
      if (target <= now) return null; // already past: the key goes now
      return live.withExpiry(target);
    });
    out.integer(done[0] ? 1 : 0);
  }
}
