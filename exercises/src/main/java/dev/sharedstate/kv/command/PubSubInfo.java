package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/** {@code PUBSUB CHANNELS [pattern]}, {@code PUBSUB NUMSUB [channel...]}, {@code PUBSUB NUMPAT}. */
public record PubSubInfo(String subcommand, List<String> args) implements Command {
  static Command parse(Args args) {
    if (args.is(1, "CHANNELS") && args.count() <= 3) return new PubSubInfo("CHANNELS", KeyArgs.from(args, 2));
    if (args.is(1, "NUMSUB")) return new PubSubInfo("NUMSUB", KeyArgs.from(args, 2));
    if (args.is(1, "NUMPAT") && args.count() == 2) return new PubSubInfo("NUMPAT", List.of());
    if (args.is(1, "CHANNELS") || args.is(1, "NUMPAT")) {
      return Failure.arity("pubsub|" + args.string(1).toLowerCase(java.util.Locale.ROOT));
    }
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try PUBSUB HELP.");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var registry = session.server().pubsub();
    switch (subcommand) {
      case "CHANNELS" -> {
        var channels = registry.channels(args.isEmpty() ? null : args.get(0));
        out.array(channels.size());
        channels.forEach(out::bulk);
      }
      case "NUMSUB" -> {
        out.array(args.size() * 2);
        for (String c : args) {
          out.bulk(c);
          out.integer(registry.subscribers(c));
        }
      }
      default -> out.integer(registry.patternCount());
    }
  }
}
