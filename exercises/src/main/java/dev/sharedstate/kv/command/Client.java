package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code CLIENT SETNAME | GETNAME | ID | INFO | LIST | KILL | NO-EVICT | HELP}, with Redis 7.0's
 * arguments and errors. {@code LIST} and {@code INFO} give the fields this server knows truly (id,
 * addresses, name, age, idle, flags, subscriptions, last command); Redis's buffer and memory fields
 * are left out rather than made up. Like Redis 7.0, there is no {@code CLIENT SETINFO} (Redis 7.2's):
 * Jedis sends it on connect and ignores the error.
 *
 * @param filter for LIST: ids and type; for KILL: the filters (or the one old-style address)
 */
public record Client(String subcommand, String argument, Filter filter) implements Command {

  /** Which clients a LIST or KILL is about. Null fields match every client. */
  record Filter(Set<Long> ids, String type, String address, String localAddress, boolean skipMe) {
    static final Filter ALL = new Filter(null, null, null, null, false);

    boolean matches(Session client, Session me) {
      if (ids != null && !ids.contains(client.id())) return false;
      if (type != null && !type.equals(typeOf(client))) return false;
      if (address != null && !address.equals(client.address())) return false;
      if (localAddress != null && !localAddress.equals(client.localAddress())) return false;
      return !(skipMe && client == me);
    }
  }

  private static final String[] HELP = {
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "    * ID <client-id> [<client-id> ...]",
    "      Return clients of specified IDs only.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction (this server never evicts clients).",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "HELP",
    "    Print this help.",
  };

  static Command parse(Args args) {
    if (args.is(1, "SETNAME")) {
      if (args.count() != 3) return Failure.arity("client|setname");
      String name = args.string(2);
      if (!validName(name)) return badName();
      return new Client("SETNAME", name, null);
    }
    for (String sub : new String[] {"GETNAME", "ID", "INFO", "HELP"}) {
      if (args.is(1, sub)) {
        if (args.count() != 2) return Failure.arity("client|" + sub.toLowerCase(Locale.ROOT));
        return new Client(sub, null, null);
      }
    }
    if (args.is(1, "NO-EVICT")) {
      if (args.count() != 3) return Failure.arity("client|no-evict");
      if (!args.is(2, "ON") && !args.is(2, "OFF")) return Failure.syntax();
      return new Client("NO-EVICT", args.is(2, "ON") ? "on" : "off", null);
    }
    if (args.is(1, "LIST")) return parseList(args);
    if (args.is(1, "KILL")) return parseKill(args);
    return new Failure("ERR unknown subcommand '" + args.string(1) + "'. Try CLIENT HELP.");
  }

  /** Redis 7.0's admin subcommands: MONITOR does not show them. */
  static boolean isAdmin(Args args) {
    return args.count() > 1 && (args.is(1, "LIST") || args.is(1, "KILL") || args.is(1, "NO-EVICT"));
  }

  private static Command parseList(Args args) {
    if (args.count() == 2) return new Client("LIST", null, Filter.ALL);
    if (args.is(2, "TYPE") && args.count() == 4) {
      String type = type(args.string(3));
      if (type == null) return new Failure("ERR Unknown client type '" + args.string(3) + "'");
      return new Client("LIST", null, new Filter(null, type, null, null, false));
    }
    if (args.is(2, "ID") && args.count() > 3) {
      var ids = new HashSet<Long>();
      for (int i = 3; i < args.count(); i++) {
        try {
          ids.add(Numbers.parseLong(args.get(i)));
        } catch (NumberFormatException e) {
          return new Failure("ERR Invalid client ID");
        }
      }
      return new Client("LIST", null, new Filter(ids, null, null, null, false));
    }
    return Failure.syntax();
  }

  private static Command parseKill(Args args) {
    if (args.count() < 3) return Failure.arity("client|kill");
    if (args.count() == 3) { // the old form: CLIENT KILL ip:port
      return new Client("KILL-ADDR", null, new Filter(null, null, args.string(2), null, false));
    }
    if (args.count() % 2 != 0) return Failure.syntax();
    Set<Long> ids = null;
    String type = null;
    String address = null;
    String localAddress = null;
    boolean skipMe = true;
    for (int i = 2; i < args.count(); i += 2) {
      String value = args.string(i + 1);
      if (args.is(i, "ID")) {
        long id;
        try {
          id = Numbers.parseLong(args.get(i + 1));
        } catch (NumberFormatException e) {
          id = 0;
        }
        if (id < 1) return new Failure("ERR client-id should be greater than 0");
        ids = Set.of(id);
      } else if (args.is(i, "TYPE")) {
        type = type(value);
        if (type == null) return new Failure("ERR Unknown client type '" + value + "'");
      } else if (args.is(i, "USER")) {
        if (!value.equals("default")) return new Failure("ERR No such user '" + value + "'");
      } else if (args.is(i, "ADDR")) {
        address = value;
      } else if (args.is(i, "LADDR")) {
        localAddress = value;
      } else if (args.is(i, "SKIPME")) {
        if (args.is(i + 1, "YES")) skipMe = true;
        else if (args.is(i + 1, "NO")) skipMe = false;
        else return Failure.syntax();
      } else {
        return Failure.syntax();
      }
    }
    return new Client("KILL", null, new Filter(ids, type, address, localAddress, skipMe));
  }

  /** Redis's client types: normal, pubsub, master, replica (or slave); null for another name. */
  private static String type(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "normal" -> "normal";
      case "pubsub" -> "pubsub";
      case "master" -> "master";
      case "replica", "slave" -> "replica";
      default -> null;
    };
  }

  /** A monitor is a normal client for TYPE, as in Redis; a subscribed one is pubsub. */
  private static String typeOf(Session s) {
    return s.channelCount() + s.patternCount() > 0 ? "pubsub" : "normal";
  }

  /** Redis refuses names with blanks, newlines or other special characters. */
  static boolean validName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') return false;
    }
    return true;
  }

  static Failure badName() {
    return new Failure("ERR Client names cannot contain spaces, newlines or special characters.");
  }

  @Override
  public void execute(Session session, RespWriter out) {
    switch (subcommand) {
      case "SETNAME" -> {
        session.clientName(argument.isEmpty() ? null : argument);
        out.simple("OK");
      }
      case "GETNAME" -> {
        if (session.clientName() == null) out.nullBulk();
        else out.bulk(session.clientName());
      }
      case "ID" -> out.integer(session.id());
      case "INFO" -> out.bulk(describe(session) + "\n");
      case "LIST" -> {
        var text = new StringBuilder();
        for (Session s : session.server().sessions()) {
          if (filter.matches(s, session)) text.append(describe(s)).append('\n');
        }
        out.bulk(text.toString());
      }
      case "KILL-ADDR" -> {
        List<Session> found = matching(session);
        if (found.isEmpty()) {
          out.error("ERR No such client");
          return;
        }
        out.simple("OK");
        kill(found, session);
      }
      case "KILL" -> {
        List<Session> found = matching(session);
        out.integer(found.size());
        kill(found, session);
      }
      case "NO-EVICT" -> {
        session.noEvict(argument.equals("on"));
        out.simple("OK");
      }
      case "HELP" -> {
        out.array(HELP.length);
        for (String line : HELP) out.simple(line);
      }
      default -> throw new IllegalStateException(subcommand);
    }
  }

  private List<Session> matching(Session me) {
    var found = new ArrayList<Session>();
    for (Session s : me.server().sessions()) if (filter.matches(s, me)) found.add(s);
    return found;
  }

  /** Closes the others now; this client's own connection closes after the reply, as in Redis. */
  private static void kill(List<Session> sessions, Session me) {
    for (Session s : sessions) {
      if (s == me) me.close();
      else s.kill();
    }
  }

  /** One CLIENT LIST line (without the newline), in Redis's field order. */
  private static String describe(Session s) {
    String name = s.clientName();
    String flags = (s.monitoring() ? "O" : "") + (s.channelCount() + s.patternCount() > 0 ? "P" : "")
        + (s.noEvict() ? "e" : "");
    return "id=" + s.id() + " addr=" + s.address() + " laddr=" + s.localAddress() + " name=" + (name == null ? "" : name)
        + " age=" + s.ageSeconds() + " idle=" + s.idleSeconds() + " flags=" + (flags.isEmpty() ? "N" : flags)
        + " db=0 sub=" + s.channelCount() + " psub=" + s.patternCount() + " ssub=0 multi=-1 cmd=" + s.lastCommand()
        + " user=default redir=-1 resp=2";
  }
}
