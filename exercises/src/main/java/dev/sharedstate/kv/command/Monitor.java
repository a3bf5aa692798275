package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/**
 * {@code MONITOR}: from now on this client receives every command any client runs, one line each, as
 * {@code redis-cli monitor} shows them. The lines go through the connection's outbox, like published
 * messages, so a slow monitor never slows anyone else. As in Redis, a monitoring client may still send
 * commands that do not touch the keyspace ({@code PING}, {@code QUIT}); the others get {@code Replica
 * can't interact with the keyspace}.
 */
public record Monitor() implements Command {
  private static final byte[] OK = RespWriter.ascii("+OK\r\n");

  static Command parse(Args args) {
    return new Monitor();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    if (session.monitoring()) return; // Redis ignores a second MONITOR, without a reply
    session.startMonitoring(out, OK);
  }
}
