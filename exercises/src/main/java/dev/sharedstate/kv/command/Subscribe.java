package dev.sharedstate.kv.command;

import dev.sharedstate.kv.pubsub.Subscriber;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SUBSCRIBE channel...}, {@code PSUBSCRIBE pattern...}, {@code UNSUBSCRIBE [channel...]} and
 * {@code PUNSUBSCRIBE [pattern...]}, as in RESP2: one reply per channel ({@code subscribe}, its name,
 * how many subscriptions the connection now has). Without arguments, the unsubscribe commands leave
 * every channel (or pattern); with none to leave they reply once with a null name. While subscribed,
 * the connection may only use these commands, {@code PING} and {@code QUIT}.
 */
public record Subscribe(boolean subscribe, boolean pattern, List<String> names) implements Command {
  static Command parseSubscribe(Args args) {
    return new Subscribe(true, false, KeyArgs.from(args, 1));
  }

  static Command parsePsubscribe(Args args) {
    return new Subscribe(true, true, KeyArgs.from(args, 1));
  }

  static Command parseUnsubscribe(Args args) {
    return new Subscribe(false, false, KeyArgs.from(args, 1));
  }

  static Command parsePunsubscribe(Args args) {
    return new Subscribe(false, true, KeyArgs.from(args, 1));
  }

  @Override
  public void execute(Session session, RespWriter out) {
    Subscriber s = session.subscriber(out);
    String kind = (pattern ? "p" : "") + (subscribe ? "" : "un") + "subscribe";
    if (subscribe) {
      out.flushUnchecked(); // earlier replies first
      // All the confirmations are queued and the subscriptions registered as one step for publishers,
      // as Redis answers a command before it serves anyone else: no message of these channels can
      // overtake a confirmation, and none published after the client has read one can be missed.
      var frames = new RespWriter(null);
      var added = new java.util.LinkedHashSet<String>();
      int count = s.count();
      for (String name : names) {
        if (!s.channels(pattern).contains(name) && added.add(name)) count++;
        reply(frames, kind, name, count);
      }
      s.outbox().offerThen(frames.toByteArray(), () -> added.forEach(name -> s.subscribe(pattern, name)));
      return;
    }
    List<String> leave = names.isEmpty() ? new ArrayList<>(s.channels(pattern)) : names;
    if (leave.isEmpty()) {
      reply(out, kind, null, s.count());
      return;
    }
    for (String name : leave) {
      s.unsubscribe(pattern, name);
      reply(out, kind, name, s.count());
    }
  }

  private static void reply(RespWriter out, String kind, String name, int count) {
    out.array(3);
    out.bulk(kind);
    if (name == null) out.nullBulk();
    else out.bulk(name);
    out.integer(count);
  }
}
