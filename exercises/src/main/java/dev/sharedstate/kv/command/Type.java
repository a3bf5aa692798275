package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code TYPE key}: {@code string}, {@code list}, {@code set}, {@code hash}, {@code zset}, or {@code none}. */
public record Type(String key) implements Command {
  static Command parse(Args args) {
    return new Type(args.string(1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Entry e = session.db().live(key, session.now());
    out.simple(e == null ? "none" : e.type());
  }
}
