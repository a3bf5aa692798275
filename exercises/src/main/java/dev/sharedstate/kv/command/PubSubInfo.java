package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.List;

/**
 * {@code PUBSUB CHANNELS [pattern]}, {@code NUMSUB [channel...]}, {@code NUMPAT}, {@code HELP}, and
 * {@code SHARDCHANNELS}/{@code SHARDNUMSUB}: this server has no sharded channels ({@code SSUBSCRIBE}),
 * so those list none, as a Redis without shard subscribers does.
 */
public record PubSubInfo(String subcommand, List<String> args) implements Command {
  private static final String[] HELP = {
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
  };

  static Command parse(Args args) {
    // Redis 7.0: fixed-arity subcommands fail the command table's arity check; the others are checked
    // by PUBSUB itself, with another message.
    for (String fixed : new String[] {"NUMPAT", "HELP"}) {
      if (args.is(1, fixed)) {
        if (args.count() != 2) return Failure.arity("pubsub|" + fixed.toLowerCase(java.util.Locale.ROOT));
        return new PubSubInfo(fixed, List.of());
      }
    }
    for (String listing : new String[] {"CHANNELS", "SHARDCHANNELS"}) {
      if (args.is(1, listing)) {
        if (args.count() > 3) {
          return new Failure("ERR unknown subcommand or wrong number of arguments for '" + args.string(1)
              + "'. Try PUBSUB HELP.");
        }
        return new PubSubInfo(listing, KeyArgs.from(args, 2));
      }
    }
    if (args.is(1, "NUMSUB")) return new PubSubInfo("NUMSUB", KeyArgs.from(args, 2));
    if (args.is(1, "SHARDNUMSUB")) return new PubSubInfo("SHARDNUMSUB", KeyArgs.from(args, 2));
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
      case "SHARDCHANNELS" -> out.array(0);
      case "SHARDNUMSUB" -> {
        out.array(args.size() * 2);
        for (String c : args) {
          out.bulk(c);
          out.integer(0);
        }
      }
      case "HELP" -> {
        out.array(HELP.length);
        for (String line : HELP) out.simple(line);
      }
      default -> out.integer(registry.patternCount());
    }
  }
}
