package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code TTL key} and {@code PTTL key}: time to live in seconds or milliseconds; -1 none, -2 no key. */
public record Ttl(String key, boolean millis) implements Command {
  static Command parseTtl(Args args) {
    return new Ttl(args.string(1), false);
  }

  static Command parsePttl(Args args) {
    return new Ttl(args.string(1), true);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    Entry entry = session.db().live(key, now);
    if (entry == null) {
      out.integer(-2);
    } else if (entry.expiresAtMillis() == Entry.NEVER) {
      out.integer(-1);
    } else {
      long left = entry.expiresAtMillis() - now;
      out.integer(millis ? left : (left + 500) / 1000);
    }
  }
}
