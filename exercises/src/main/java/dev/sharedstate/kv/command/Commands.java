package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The command table: each command's name, its arity in Redis's notation (n: exactly n arguments
 * counting the name; -n: at least n) and its parser. Adding a command is one file plus one line here.
 */
public final class Commands {
  private Commands() {}

  private record Spec(String name, int arity, Function<Args, Command> parser) {}

  private static final Spec[] SPECS = {
    new Spec("GET", 2, Get::parse),
    new Spec("SET", -3, Set::parse),
    new Spec("DEL", -2, Del::parse),
    new Spec("EXISTS", -2, Exists::parse),
    new Spec("INCR", 2, Incr::parseIncr),
    new Spec("DECR", 2, Incr::parseDecr),
    new Spec("INCRBY", 3, Incr::parseIncrBy),
    new Spec("DECRBY", 3, Incr::parseDecrBy),
    new Spec("MGET", -2, MGet::parse),
    new Spec("MSET", -3, MSet::parse),
    new Spec("TTL", 2, Ttl::parseTtl),
    new Spec("PTTL", 2, Ttl::parsePttl),
    new Spec("PING", -1, Ping::parse),
    new Spec("ECHO", 2, Echo::parse),
    new Spec("QUIT", -1, Quit::parse),
    new Spec("HELLO", -1, Hello::parse),
    new Spec("CLIENT", -2, Client::parse),
    new Spec("COMMAND", -1, CommandInfo::parse),
    new Spec("SELECT", 2, Select::parse),
    new Spec("CONFIG", -2, Config::parse),
    new Spec("INFO", -1, Info::parse),
    new Spec("AUTH", -2, Auth::parse),
  };

  /** Specs by name length, so a lookup compares a handful of names and allocates nothing. */
  private static final Spec[][] BY_LENGTH = index();

  private static Spec[][] index() {
    int max = 0;
    for (Spec s : SPECS) max = Math.max(max, s.name.length());
    var byLength = new Spec[max + 1][];
    for (int len = 0; len <= max; len++) {
      var list = new ArrayList<Spec>();
      for (Spec s : SPECS) if (s.name.length() == len) list.add(s);
      byLength[len] = list.toArray(Spec[]::new);
    }
    return byLength;
  }

  /**
   * The command the client asked for, or a {@link Failure} with Redis's wording for an unknown
   * command, a wrong number of arguments or a malformed option.
   */
  public static Command parse(Args args) {
    byte[] name = args.get(0);
    if (name.length < BY_LENGTH.length) {
      for (Spec spec : BY_LENGTH[name.length]) {
        if (Args.equalsIgnoreCase(name, spec.name)) {
          int n = args.count();
          boolean ok = spec.arity >= 0 ? n == spec.arity : n >= -spec.arity;
          if (!ok) return Failure.arity(spec.name.toLowerCase(Locale.ROOT));
          return spec.parser.apply(args);
        }
      }
    }
    return unknown(args);
  }

  /** Redis 7's message, quoting the name and the first arguments (128 characters at most each). */
  private static Failure unknown(Args args) {
    var quoted = new StringBuilder();
    for (int i = 1; i < args.count() && quoted.length() < 128; i++) {
      quoted.append('\'').append(truncate(args.get(i), 128 - quoted.length())).append("' ");
    }
    return new Failure("ERR unknown command '" + truncate(args.get(0), 128)
        + "', with args beginning with: " + quoted);
  }

  private static String truncate(byte[] bytes, int max) {
    return new String(bytes, 0, Math.min(bytes.length, Math.max(0, max)), StandardCharsets.ISO_8859_1);
  }

  static int count() {
    return SPECS.length;
  }

  static List<String> names() {
    var names = new ArrayList<String>();
    for (Spec s : SPECS) names.add(s.name.toLowerCase(Locale.ROOT));
    return names;
  }
}
