package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.RespWriter;

/**
 * One parsed client request, ready to run: one record per command (or per family of commands that
 * share their code, such as {@code INCR}/{@code DECR}), each in its own file, like mini-redis. {@link
 * Commands#parse} turns a request's arguments into one of these; {@link #execute} runs it against the
 * session's store and writes its reply.
 */
public sealed interface Command
    permits Ping, Echo, Get, Set, Append, Strlen, Del, Exists, Type, Incr, MGet, MSet, Ttl, Expire,
        Persist, DbSize, KeysCommand, Scan, Flush, Push, Pop, LRange, LLen, LIndex, SetOps, HashOps,
        SortedSetOps, Publish, Subscribe, PubSubInfo, Quit, Hello, Client, CommandInfo, Select, Config,
        Info, Auth, Monitor, Reset, Failure {

  /** Runs the command and writes its reply to {@code out}. */
  void execute(Session session, RespWriter out);
}
