package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.RespWriter;

/**
 * One parsed client request, ready to run: one record per command, each in its own file, like
 * mini-redis. {@link Commands#parse} turns a request's arguments into one of these; {@link
 * #execute} runs it against the session's store and writes exactly one reply.
 */
public sealed interface Command
    permits Ping, Echo, Get, Set, Del, Exists, Incr, MGet, MSet, Ttl, Quit, Hello, Client, CommandInfo,
        Select, Config, Info, Auth, Failure {

  /** Runs the command and writes its one reply to {@code out}. */
  void execute(Session session, RespWriter out);
}
