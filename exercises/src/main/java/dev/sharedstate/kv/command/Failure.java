package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.RespWriter;

/** A request that could not become a command (unknown name, wrong arity, bad option): its error reply. */
public record Failure(String message) implements Command {

  /** Redis's wording for a wrong argument count. */
  public static Failure arity(String name) {
    return new Failure("ERR wrong number of arguments for '" + name + "' command");
  }

  /** Redis's wording for a malformed option list. */
  public static Failure syntax() {
    return new Failure("ERR syntax error");
  }

  /** Redis's wording for a number that does not parse. */
  public static Failure notAnInteger() {
    return new Failure("ERR value is not an integer or out of range");
  }

  /** Redis's wording for a count that must not be negative. */
  public static Failure notPositive() {
    return new Failure("ERR value is out of range, must be positive");
  }

  static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

  static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

  static final String NOAUTH = "NOAUTH Authentication required.";

  @Override
  public void execute(Session session, RespWriter out) {
    out.error(message);
  }
}
