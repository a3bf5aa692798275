package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code PERSIST key}: removes the key's expiry; replies 1 if it had one, else 0. */
public record Persist(String key) implements Command {
  static Command parse(Args args) {
    return new Persist(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    boolean[] done = {false};
    session.db().update(key, current -> {
      Entry live = Entry.live(current, now);
      done[0] = live != null && live.expiresAtMillis() != Entry.NEVER;
      return done[0] ? live.withExpiry(Entry.NEVER) : live;
    });
    out.integer(done[0] ? 1 : 0);
  }
}
