package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
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

  private record Spec(String name, int arity, int flags, Function<Args, Command> parser) {}

  private static final Spec[] SPECS = {
    new Spec("GET", 2, 0, Get::parse),
    new Spec("SET", -3, DENY_OOM, Set::parse),
    new Spec("SETEX", 4, DENY_OOM, Set::parseSetex),
    new Spec("PSETEX", 4, DENY_OOM, Set::parsePsetex),
    new Spec("SETNX", 3, DENY_OOM, Set::parseSetnx),
    new Spec("APPEND", 3, DENY_OOM, Append::parse),
    new Spec("STRLEN", 2, 0, Strlen::parse),
    new Spec("DEL", -2, 0, Del::parse),
    new Spec("UNLINK", -2, 0, Del::parse),
    new Spec("EXISTS", -2, 0, Exists::parse),
    new Spec("TYPE", 2, 0, Type::parse),
    new Spec("INCR", 2, DENY_OOM, Incr::parseIncr),
    new Spec("DECR", 2, DENY_OOM, Incr::parseDecr),
    new Spec("INCRBY", 3, DENY_OOM, Incr::parseIncrBy),
    new Spec("DECRBY", 3, DENY_OOM, Incr::parseDecrBy),
    new Spec("MGET", -2, 0, MGet::parse),
    new Spec("MSET", -3, DENY_OOM, MSet::parse),
    new Spec("TTL", 2, 0, Ttl::parseTtl),
    new Spec("PTTL", 2, 0, Ttl::parsePttl),
    new Spec("EXPIRE", -3, 0, Expire::parseExpire),
    new Spec("PEXPIRE", -3, 0, Expire::parsePexpire),
    new Spec("EXPIREAT", -3, 0, Expire::parseExpireAt),
    new Spec("PEXPIREAT", -3, 0, Expire::parsePexpireAt),
    new Spec("PERSIST", 2, 0, Persist::parse),
    new Spec("DBSIZE", 1, 0, DbSize::parse),
    new Spec("KEYS", 2, 0, KeysCommand::parse),
    new Spec("SCAN", -2, 0, Scan::parse),
    new Spec("FLUSHDB", -1, 0, Flush::parse),
    new Spec("FLUSHALL", -1, 0, Flush::parse),
    new Spec("LPUSH", -3, DENY_OOM, Push::parseLpush),
    new Spec("RPUSH", -3, DENY_OOM, Push::parseRpush),
    new Spec("LPUSHX", -3, DENY_OOM, Push::parseLpushx),
    new Spec("RPUSHX", -3, DENY_OOM, Push::parseRpushx),
    new Spec("LPOP", -2, 0, Pop::parseLpop),
    new Spec("RPOP", -2, 0, Pop::parseRpop),
    new Spec("LRANGE", 4, 0, LRange::parse),
    new Spec("LLEN", 2, 0, LLen::parse),
    new Spec("LINDEX", 3, 0, LIndex::parse),
    new Spec("SADD", -3, DENY_OOM, SetOps::parseSadd),
    new Spec("SREM", -3, 0, SetOps::parseSrem),
    new Spec("SPOP", -2, 0, SetOps::parseSpop),
    new Spec("SCARD", 2, 0, SetOps::parseScard),
    new Spec("SMEMBERS", 2, 0, SetOps::parseSmembers),
    new Spec("SISMEMBER", 3, 0, SetOps::parseSismember),
    new Spec("HSET", -4, DENY_OOM, HashOps::parseHset),
    new Spec("HGET", 3, 0, HashOps::parseHget),
    new Spec("HDEL", -3, 0, HashOps::parseHdel),
    new Spec("HLEN", 2, 0, HashOps::parseHlen),
    new Spec("HGETALL", 2, 0, HashOps::parseHgetall),
    new Spec("ZADD", -4, DENY_OOM, SortedSetOps::parseZadd),
    new Spec("ZPOPMIN", -2, 0, SortedSetOps::parseZpopmin),
    new Spec("ZCARD", 2, 0, SortedSetOps::parseZcard),
    new Spec("ZSCORE", 3, 0, SortedSetOps::parseZscore),
    new Spec("ZRANGE", -4, 0, SortedSetOps::parseZrange),
    new Spec("PUBLISH", 3, 0, Publish::parse),
    new Spec("SUBSCRIBE", -2, PUBSUB, Subscribe::parseSubscribe),
    new Spec("PSUBSCRIBE", -2, PUBSUB, Subscribe::parsePsubscribe),
    new Spec("UNSUBSCRIBE", -1, PUBSUB, Subscribe::parseUnsubscribe),
    new Spec("PUNSUBSCRIBE", -1, PUBSUB, Subscribe::parsePunsubscribe),
    new Spec("PUBSUB", -2, 0, PubSubInfo::parse),
    new Spec("PING", -1, PUBSUB, Ping::parse),
    new Spec("ECHO", 2, 0, Echo::parse),
    new Spec("QUIT", -1, NO_AUTH | PUBSUB, Quit::parse),
    new Spec("HELLO", -1, NO_AUTH, Hello::parse),
    new Spec("AUTH", -2, NO_AUTH, Auth::parse),
    new Spec("CLIENT", -2, 0, Client::parse),
    new Spec("COMMAND", -1, 0, CommandInfo::parse),
    new Spec("SELECT", 2, 0, Select::parse),
    new Spec("CONFIG", -2, 0, Config::parse),
    new Spec("INFO", -1, 0, Info::parse),
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
    if (session.subscribed() && (spec.flags & PUBSUB) == 0) {
      return new Failure("ERR Can't execute '" + lower
          + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    }
    return spec.parser.apply(args);
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
