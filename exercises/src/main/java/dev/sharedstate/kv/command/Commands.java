package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The command table: each command's name, its arity in Redis's notation (n: exactly n arguments
 * counting the name; -n: at least n), its flags and its parser. Adding a command is one file plus one
 * line here.
 *
 * <p>Checks run in Redis 7's order: unknown command, arity, authentication, memory limit, subscribed
 * mode; then the command's own parser reports bad options.
 */
public final class Commands {
  private Commands() {}

  /** Allowed before {@code AUTH}. */
  private static final int NO_AUTH = 1;
  /** Refused with {@code -OOM} while the data is over {@code maxmemory} (it may add data). */
  private static final int DENY_OOM = 2;
  /** Allowed while the client is subscribed (RESP2's pub/sub mode). */
  private static final int PUBSUB = 4;
  /** Changes the data. */
  private static final int WRITE = 8;
  /** Only reads the data. */
  private static final int READONLY = 16;
  /** Not shown to MONITOR clients (Redis: admin commands). */
  private static final int NO_MONITOR = 32;

  /** Where a command's keys are, as {@code COMMAND INFO} says it: first, last (-1: the end), step. */
  private static final int[] NO_KEYS = {0, 0, 0};
  private static final int[] ONE_KEY = {1, 1, 1};
  private static final int[] ALL_KEYS = {1, -1, 1};
  private static final int[] KEY_VALUE_PAIRS = {1, -1, 2};

  private record Spec(String name, int arity, int flags, int[] keys, Function<Args, Command> parser) {}

  private static final Spec[] SPECS = {
    new Spec("GET", 2, READONLY, ONE_KEY, Get::parse),
    new Spec("SET", -3, DENY_OOM | WRITE, ONE_KEY, Set::parse),
    new Spec("SETEX", 4, DENY_OOM | WRITE, ONE_KEY, Set::parseSetex),
    new Spec("PSETEX", 4, DENY_OOM | WRITE, ONE_KEY, Set::parsePsetex),
    new Spec("SETNX", 3, DENY_OOM | WRITE, ONE_KEY, Set::parseSetnx),
    new Spec("APPEND", 3, DENY_OOM | WRITE, ONE_KEY, Append::parse),
    new Spec("STRLEN", 2, READONLY, ONE_KEY, Strlen::parse),
    new Spec("DEL", -2, WRITE, ALL_KEYS, Del::parse),
    new Spec("UNLINK", -2, WRITE, ALL_KEYS, Del::parse),
    new Spec("EXISTS", -2, READONLY, ALL_KEYS, Exists::parse),
    new Spec("TYPE", 2, READONLY, ONE_KEY, Type::parse),
    new Spec("INCR", 2, DENY_OOM | WRITE, ONE_KEY, Incr::parseIncr),
    new Spec("DECR", 2, DENY_OOM | WRITE, ONE_KEY, Incr::parseDecr),
    new Spec("INCRBY", 3, DENY_OOM | WRITE, ONE_KEY, Incr::parseIncrBy),
    new Spec("DECRBY", 3, DENY_OOM | WRITE, ONE_KEY, Incr::parseDecrBy),
    new Spec("MGET", -2, READONLY, ALL_KEYS, MGet::parse),
    new Spec("MSET", -3, DENY_OOM | WRITE, KEY_VALUE_PAIRS, MSet::parse),
    new Spec("TTL", 2, READONLY, ONE_KEY, Ttl::parseTtl),
    new Spec("PTTL", 2, READONLY, ONE_KEY, Ttl::parsePttl),
    new Spec("EXPIRE", -3, WRITE, ONE_KEY, Expire::parseExpire),
    new Spec("PEXPIRE", -3, WRITE, ONE_KEY, Expire::parsePexpire),
    new Spec("EXPIREAT", -3, WRITE, ONE_KEY, Expire::parseExpireAt),
    new Spec("PEXPIREAT", -3, WRITE, ONE_KEY, Expire::parsePexpireAt),
    new Spec("PERSIST", 2, WRITE, ONE_KEY, Persist::parse),
    new Spec("DBSIZE", 1, READONLY, NO_KEYS, DbSize::parse),
    new Spec("KEYS", 2, READONLY, NO_KEYS, KeysCommand::parse),
    new Spec("SCAN", -2, READONLY, NO_KEYS, Scan::parse),
    new Spec("FLUSHDB", -1, WRITE, NO_KEYS, Flush::parse),
    new Spec("FLUSHALL", -1, WRITE, NO_KEYS, Flush::parse),
    new Spec("LPUSH", -3, DENY_OOM | WRITE, ONE_KEY, Push::parseLpush),
    new Spec("RPUSH", -3, DENY_OOM | WRITE, ONE_KEY, Push::parseRpush),
    new Spec("LPUSHX", -3, DENY_OOM | WRITE, ONE_KEY, Push::parseLpushx),
    new Spec("RPUSHX", -3, DENY_OOM | WRITE, ONE_KEY, Push::parseRpushx),
    new Spec("LPOP", -2, WRITE, ONE_KEY, Pop::parseLpop),
    new Spec("RPOP", -2, WRITE, ONE_KEY, Pop::parseRpop),
    new Spec("LRANGE", 4, READONLY, ONE_KEY, LRange::parse),
    new Spec("LLEN", 2, READONLY, ONE_KEY, LLen::parse),
    new Spec("LINDEX", 3, READONLY, ONE_KEY, LIndex::parse),
    new Spec("SADD", -3, DENY_OOM | WRITE, ONE_KEY, SetOps::parseSadd),
    new Spec("SREM", -3, WRITE, ONE_KEY, SetOps::parseSrem),
    new Spec("SPOP", -2, WRITE, ONE_KEY, SetOps::parseSpop),
    new Spec("SCARD", 2, READONLY, ONE_KEY, SetOps::parseScard),
    new Spec("SMEMBERS", 2, READONLY, ONE_KEY, SetOps::parseSmembers),
    new Spec("SISMEMBER", 3, READONLY, ONE_KEY, SetOps::parseSismember),
    new Spec("HSET", -4, DENY_OOM | WRITE, ONE_KEY, HashOps::parseHset),
    new Spec("HGET", 3, READONLY, ONE_KEY, HashOps::parseHget),
    new Spec("HDEL", -3, WRITE, ONE_KEY, HashOps::parseHdel),
    new Spec("HLEN", 2, READONLY, ONE_KEY, HashOps::parseHlen),
    new Spec("HGETALL", 2, READONLY, ONE_KEY, HashOps::parseHgetall),
    new Spec("ZADD", -4, DENY_OOM | WRITE, ONE_KEY, SortedSetOps::parseZadd),
    new Spec("ZPOPMIN", -2, WRITE, ONE_KEY, SortedSetOps::parseZpopmin),
    new Spec("ZCARD", 2, READONLY, ONE_KEY, SortedSetOps::parseZcard),
    new Spec("ZSCORE", 3, READONLY, ONE_KEY, SortedSetOps::parseZscore),
    new Spec("ZRANGE", -4, READONLY, ONE_KEY, SortedSetOps::parseZrange),
    new Spec("PUBLISH", 3, 0, NO_KEYS, Publish::parse),
    new Spec("SUBSCRIBE", -2, PUBSUB, NO_KEYS, Subscribe::parseSubscribe),
    new Spec("PSUBSCRIBE", -2, PUBSUB, NO_KEYS, Subscribe::parsePsubscribe),
    new Spec("UNSUBSCRIBE", -1, PUBSUB, NO_KEYS, Subscribe::parseUnsubscribe),
    new Spec("PUNSUBSCRIBE", -1, PUBSUB, NO_KEYS, Subscribe::parsePunsubscribe),
    new Spec("PUBSUB", -2, 0, NO_KEYS, PubSubInfo::parse),
    new Spec("PING", -1, PUBSUB, NO_KEYS, Ping::parse),
    new Spec("ECHO", 2, 0, NO_KEYS, Echo::parse),
    new Spec("QUIT", -1, NO_AUTH | PUBSUB, NO_KEYS, Quit::parse),
    new Spec("HELLO", -1, NO_AUTH, NO_KEYS, Hello::parse),
    new Spec("AUTH", -2, NO_AUTH, NO_KEYS, Auth::parse),
    new Spec("CLIENT", -2, 0, NO_KEYS, Client::parse),
    new Spec("COMMAND", -1, 0, NO_KEYS, CommandInfo::parse),
    new Spec("SELECT", 2, 0, NO_KEYS, Select::parse),
    new Spec("CONFIG", -2, NO_MONITOR, NO_KEYS, Config::parse),
    new Spec("MONITOR", 1, NO_MONITOR, NO_KEYS, Monitor::parse),
    new Spec("RESET", 1, NO_AUTH | PUBSUB, NO_KEYS, Reset::parse),
    new Spec("INFO", -1, 0, NO_KEYS, Info::parse),
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

  private static Spec lookup(byte[] name) {
    if (name.length < BY_LENGTH.length) {
      for (Spec spec : BY_LENGTH[name.length]) {
        if (Args.equalsIgnoreCase(name, spec.name)) return spec;
      }
    }
    return null;
  }

  /**
   * The command the client asked for, or a {@link Failure} with Redis's wording for an unknown
   * command, a wrong number of arguments, a missing {@code AUTH}, the memory limit, a command not
   * allowed while subscribed, or a malformed option.
   */
  public static Command parse(Args args, Session session) {
    Spec spec = lookup(args.get(0));
    if (spec == null) return unknown(args);
    int n = args.count();
    boolean ok = spec.arity >= 0 ? n == spec.arity : n >= -spec.arity;
    String lower = spec.name.toLowerCase(Locale.ROOT);
    if (!ok) return Failure.arity(lower);
    if (!session.authenticated() && (spec.flags & NO_AUTH) == 0) return new Failure(Failure.NOAUTH);
    if ((spec.flags & DENY_OOM) != 0) {
      long max = session.server().maxMemory();
      if (max > 0 && session.db().keyspace().memory() > max) return new Failure(Failure.OOM);
    }
    if (session.monitoring() && ((spec.flags & (READONLY | WRITE)) != 0 || spec.name.equals("PUBLISH"))) {
      return new Failure("ERR Replica can't interact with the keyspace"); // Redis treats a monitor as a replica
    }
    if (session.subscribed() && (spec.flags & PUBSUB) == 0) {
      return new Failure("ERR Can't execute '" + lower
          + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    }
    // The command runs (and may still fail on its own options): MONITOR clients see it once it has run,
    // as Redis's do; the ones refused above they never see.
    boolean container = spec.name.equals("CLIENT") || spec.name.equals("COMMAND") || spec.name.equals("CONFIG")
        || spec.name.equals("PUBSUB");
    session.commandStarted(container && n > 1
        ? lower + "|" + new String(args.get(1), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
        : lower);
    session.showToMonitors(!session.server().monitors().isEmpty() && (spec.flags & NO_MONITOR) == 0
        && !(spec.name.equals("CLIENT") && Client.isAdmin(args)));
    return spec.parser.apply(args);
  }

  /** Redis 7's message, quoting the name and the first arguments (128 characters at most each). */
  private static Failure unknown(Args args) {
    var quoted = new StringBuilder();
    for (int i = 1; i < args.count() && quoted.length() < 128; i++) {
      // The room is measured before the opening quote, as Redis's "'%.*s' " does.
      String arg = truncate(args.get(i), 128 - quoted.length());
      quoted.append('\'').append(arg).append("' ");
    }
    return new Failure("ERR unknown command '" + truncate(args.get(0), 128)
        + "', with args beginning with: " + quoted);
  }

  /** At most {@code max} bytes, and none from a NUL on: Redis prints the name and arguments as C strings. */
  private static String truncate(byte[] bytes, int max) {
    int end = Math.min(bytes.length, Math.max(0, max));
    for (int i = 0; i < end; i++) {
      if (bytes[i] == 0) end = i;
    }
    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
  }

  static int count() {
    return SPECS.length;
  }

  /**
   * Writes {@code COMMAND INFO}'s entry for {@code name} (any case): name, arity, flags, first key,
   * last key, key step, then ACL categories, tips, key specs and subcommands, which this server does not
   * describe (empty arrays). Writes a null for an unknown name.
   */
  static void describe(byte[] name, RespWriter out) {
    Spec spec = lookup(name);
    if (spec == null) {
      out.nullBulk();
      return;
    }
    var flags = new ArrayList<String>();
    if ((spec.flags & WRITE) != 0) flags.add("write");
    if ((spec.flags & READONLY) != 0) flags.add("readonly");
    if ((spec.flags & DENY_OOM) != 0) flags.add("denyoom");
    if (spec.name.startsWith("PUB") || spec.name.endsWith("SUBSCRIBE")) flags.add("pubsub");
    if ((spec.flags & NO_AUTH) != 0) flags.add("no_auth");
    out.array(10);
    out.bulk(spec.name.toLowerCase(Locale.ROOT));
    out.integer(spec.arity);
    out.array(flags.size());
    flags.forEach(out::simple);
    out.integer(spec.keys[0]);
    out.integer(spec.keys[1]);
    out.integer(spec.keys[2]);
    for (int i = 0; i < 4; i++) out.array(0);
  }

  /** Every command's {@link #describe} entry. */
  static void describeAll(RespWriter out) {
    out.array(SPECS.length);
    for (Spec s : SPECS) describe(s.name.getBytes(StandardCharsets.US_ASCII), out);
  }

  /**
   * {@code COMMAND GETKEYS}: the keys of the request in {@code args} from index {@code from} (its
   * name), or a {@link Failure} with Redis's message.
   */
  static Object keysOf(Args args, int from) {
    Spec spec = lookup(args.get(from));
    if (spec == null) return new Failure("ERR Invalid command specified");
    int n = args.count() - from;
    if (spec.arity >= 0 ? n != spec.arity : n < -spec.arity) {
      return new Failure("ERR Invalid number of arguments specified for command");
    }
    if (spec.keys[0] == 0) return new Failure("ERR The command has no key arguments");
    int last = spec.keys[1] < 0 ? n + spec.keys[1] : spec.keys[1];
    var keys = new ArrayList<byte[]>();
    for (int i = spec.keys[0]; i <= last && i < n; i += spec.keys[2]) keys.add(args.get(from + i));
    return keys;
  }

  static List<String> names() {
    var names = new ArrayList<String>();
    for (Spec s : SPECS) names.add(s.name.toLowerCase(Locale.ROOT));
    return names;
  }
}
