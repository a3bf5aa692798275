package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;

/** {@code SELECT index}: this server has one database, number 0. */
public record Select(long index) implements Command {
  static Command parse(Args args) {
    try {
      long index = Numbers.parseLong(args.get(1));
      if (index != (int) index) {
        return new Failure("ERR value is out of range, value must between -2147483648 and 2147483647");
      }
      if (index != 0) return new Failure("ERR DB index is out of range");
      return new Select(index);
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  @Override
  public void execute(Session session, RespWriter out) {
    out.simple("OK");
  }
}
