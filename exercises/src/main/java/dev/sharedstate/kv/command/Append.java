package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.Arrays;

/**
 * {@code APPEND key value}: appends to the string (a missing key counts as empty); replies the new
 * length. As in Redis, a string may not grow beyond the longest bulk string a client may send
 * ({@code proto-max-bulk-len}, 512 MiB).
 */
public record Append(String key, byte[] suffix) implements Command {
  static Command parse(Args args) {
    return new Append(args.string(1), args.get(2));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    long[] length = {0};
    boolean[] wrongType = {false};
    boolean[] tooLong = {false};
    long max = session.server().config().limits().maxBulkLength();
    session.db().update(key, current -> {
      Entry live = Entry.live(current, now);
      wrongType[0] = live != null && !live.isString();
      if (wrongType[0]) return current;
      tooLong[0] = live != null && (long) live.value().length + suffix.length > max;
      if (tooLong[0]) return current;
      if (live == null) {
        length[0] = suffix.length;
        return Entry.of(suffix);
      }
      byte[] joined = Arrays.copyOf(live.value(), live.value().length + suffix.length);
      System.arraycopy(suffix, 0, joined, live.value().length, suffix.length);
      length[0] = joined.length;
      return new Entry(joined, live.expiresAtMillis());
    });
    if (wrongType[0]) out.error(Failure.WRONGTYPE);
    else if (tooLong[0]) out.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    else out.integer(length[0]);
  }
}
