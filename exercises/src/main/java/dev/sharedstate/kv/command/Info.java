package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code INFO [section ...]}: facts about the server in Redis's format, one {@code # Section} block
 * each. With no argument, or {@code default}, {@code all} or {@code everything}, every section this
 * server has; with names (any case, any order), those sections in Redis's order; an unknown name adds
 * nothing, so {@code INFO nosuch} is an empty string, as in Redis. Memory figures are the key index's
 * estimate of the data, not the JVM's heap, and say so.
 */
public record Info(Set<String> sections) implements Command {
  /** What {@code HELLO} and {@code INFO} call this server. */
  static final String SERVER_NAME = "sharedstate-kv";

  /** The Redis version whose commands and replies this server follows. */
  static final String REDIS_VERSION = "7.0.0";

  /** This server's sections, in the order Redis writes them. */
  private static final List<String> ORDER =
      List.of("server", "clients", "memory", "persistence", "stats", "replication", "cluster", "keyspace");

  static Command parse(Args args) {
    var wanted = new LinkedHashSet<String>();
    for (int i = 1; i < args.count(); i++) {
      String name = args.string(i).toLowerCase(Locale.ROOT);
      if (name.equals("all") || name.equals("default") || name.equals("everything")) wanted.addAll(ORDER);
      else wanted.add(name);
    }
    if (args.count() == 1) wanted.addAll(ORDER);
    return new Info(wanted);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var text = new StringBuilder();
    for (String section : ORDER) {
      if (!sections.contains(section)) continue;
      if (!text.isEmpty()) text.append("\r\n");
      text.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
      append(section, session, text);
    }
    out.bulk(text.toString());
  }

  private static void append(String section, Session session, StringBuilder b) {
    var server = session.server();
    var keyspace = session.db().keyspace();
    switch (section) {
      case "server" -> {
        field(b, "redis_version", REDIS_VERSION);
        field(b, "server_name", SERVER_NAME);
        field(b, "redis_mode", "standalone");
        field(b, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        field(b, "arch_bits", "64");
        field(b, "process_id", Long.toString(ProcessHandle.current().pid()));
        field(b, "tcp_port", Integer.toString(session.port()));
        field(b, "uptime_in_seconds", Long.toString(server.uptimeSeconds()));
        field(b, "uptime_in_days", Long.toString(server.uptimeSeconds() / 86_400));
        field(b, "java_version", Runtime.version().toString());
      }
      case "clients" -> {
        field(b, "connected_clients", Integer.toString(session.connectedClients()));
        field(b, "maxclients", Integer.toString(server.config().maxClients()));
        field(b, "blocked_clients", "0");
      }
      case "memory" -> {
        long used = keyspace.memory();
        field(b, "used_memory", Long.toString(used));
        field(b, "used_memory_human", human(used));
        field(b, "used_memory_is_estimate", "1");
        field(b, "maxmemory", Long.toString(server.maxMemory()));
        field(b, "maxmemory_human", human(server.maxMemory()));
        field(b, "maxmemory_policy", "noeviction");
      }
      case "persistence" -> {
        field(b, "loading", "0");
        field(b, "async_loading", "0");
        field(b, "rdb_bgsave_in_progress", "0");
        field(b, "aof_enabled", "0");
      }
      case "stats" -> {
        field(b, "total_connections_received", Long.toString(server.connectionsReceived()));
        field(b, "total_commands_processed", Long.toString(server.commandsProcessed()));
        field(b, "pubsub_channels", Integer.toString(server.pubsub().channels(null).size()));
        field(b, "pubsub_patterns", Long.toString(server.pubsub().patternCount()));
      }
      case "replication" -> {
        field(b, "role", "master");
        field(b, "connected_slaves", "0");
      }
      case "cluster" -> field(b, "cluster_enabled", "0");
      case "keyspace" -> {
        long keys = keyspace.size();
        if (keys > 0) field(b, "db0", "keys=" + keys + ",expires=" + keyspace.expiringSize() + ",avg_ttl=0");
      }
      default -> throw new IllegalArgumentException(section);
    }
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(name).append(':').append(value).append("\r\n");
  }

  /** Redis's {@code bytesToHuman}: 1023B, 1.00K, 3.50M, 2.00G. */
  static String human(long n) {
    if (n < 1024) return n + "B";
    String[] units = {"K", "M", "G", "T", "P"};
    double d = n;
    int u = -1;
    while (d >= 1024 && u < units.length - 1) {
      d /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
  }
}
