package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code INFO [section]}: a few lines about the server, in Redis's format. */
public record Info() implements Command {
  /** What {@code HELLO} and {@code INFO} call this server. */
  static final String SERVER_NAME = "sharedstate-kv";

  /** The Redis version whose commands and replies this server follows. */
  static final String REDIS_VERSION = "7.0.0";

  static Command parse(Args args) {
    return new Info();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    var keyspace = session.db().keyspace();
    long keys = keyspace.size();
    out.bulk(
        "# Server\r\n"
            + "redis_version:" + REDIS_VERSION + "\r\n"
            + "server_name:" + SERVER_NAME + "\r\n"
            + "redis_mode:standalone\r\n"
            + "tcp_port:" + session.port() + "\r\n"
            + "java_version:" + Runtime.version() + "\r\n"
            + "\r\n# Clients\r\n"
            + "connected_clients:" + session.connectedClients() + "\r\n"
            + "\r\n# Memory\r\n"
            + "used_memory:" + keyspace.memory() + "\r\n"
            + "used_memory_is_estimate:1\r\n"
            + "maxmemory:" + session.server().maxMemory() + "\r\n"
            + "maxmemory_policy:noeviction\r\n"
            + "\r\n# Keyspace\r\n"
            + (keys == 0 ? "" : "db0:keys=" + keys + ",expires=" + keyspace.expiringSize() + ",avg_ttl=0\r\n"));
  }
}
