package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.SetValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The set commands: {@code SADD key member...} and {@code SREM} (reply how many changed), {@code SPOP
 * key [count]} (removes random members), {@code SCARD}, {@code SMEMBERS}, {@code SISMEMBER}.
 *
 * @param count SPOP's count, or -1 when none was given
 */
public record SetOps(Op op, String key, List<String> members, long count) implements Command {
  /** Which set command. */
  public enum Op { SADD, SREM, SPOP, SCARD, SMEMBERS, SISMEMBER }

  static Command parseSadd(Args args) {
    return new SetOps(Op.SADD, args.string(1), KeyArgs.from(args, 2), 0);
  }

  static Command parseSrem(Args args) {
    return new SetOps(Op.SREM, args.string(1), KeyArgs.from(args, 2), 0);
  }

  static Command parseSpop(Args args) {
    if (args.count() > 3) return Failure.syntax();
    long count = -1;
    if (args.count() == 3) {
      try {
        count = Numbers.parseLong(args.get(2));
      } catch (NumberFormatException e) {
        return Failure.notPositive();
      }
      if (count < 0) return Failure.notPositive();
    }
    return new SetOps(Op.SPOP, args.string(1), List.of(), count);
  }

  static Command parseScard(Args args) {
    return new SetOps(Op.SCARD, args.string(1), List.of(), 0);
  }

  static Command parseSmembers(Args args) {
    return new SetOps(Op.SMEMBERS, args.string(1), List.of(), 0);
  }

  static Command parseSismember(Args args) {
    return new SetOps(Op.SISMEMBER, args.string(1), List.of(args.string(2)), 0);
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    switch (op) {
      case SCARD, SMEMBERS, SISMEMBER -> {
        Entry e = session.db().live(key, now);
        if (e != null && !(e.aggregate() instanceof SetValue)) {
          out.error(Failure.WRONGTYPE);
          return;
        }
        SetValue set = e == null ? null : (SetValue) e.aggregate();
        switch (op) {
          case SCARD -> out.integer(set == null ? 0 : set.size());
          case SISMEMBER -> out.integer(set != null && set.members().contains(members.get(0)) ? 1 : 0);
          default -> {
            out.array(set == null ? 0 : set.size());
            if (set != null) set.members().forEach(out::bulk);
          }
        }
      }
      default -> write(session, out, now);
    }
  }

  private void write(Session session, RespWriter out, long now) {
    long[] changed = {0};
    boolean[] flags = {false, false}; // wrong type, existed
    var popped = new ArrayList<String>();
    session.db().update(key, current -> {
      popped.clear();
      changed[0] = 0;
      Entry live = Entry.live(current, now);
      flags[0] = live != null && !(live.aggregate() instanceof SetValue);
      flags[1] = live != null;
      if (flags[0]) return current;
      var set = new LinkedHashSet<String>(live == null ? List.of() : ((SetValue) live.aggregate()).members());
      switch (op) {
        case SADD -> {
          for (String m : members) if (set.add(m)) changed[0]++;
        }
        case SREM -> {
          for (String m : members) if (set.remove(m)) changed[0]++;
        }
        default -> { // SPOP
          long n = Math.min(count < 0 ? 1 : count, set.size());
          var all = new ArrayList<>(set);
          for (long i = 0; i < n; i++) {
            String m = all.remove(ThreadLocalRandom.current().nextInt(all.size()));
            set.remove(m);
            popped.add(m);
          }
        }
      }
      SetValue next = SetValue.of(set);
      return next == null ? null : Entry.of(next, live == null ? Entry.NEVER : live.expiresAtMillis());
    });
    if (flags[0]) {
      out.error(Failure.WRONGTYPE);
    } else if (op != Op.SPOP) {
      out.integer(changed[0]);
    } else if (count < 0) {
      if (popped.isEmpty()) out.nullBulk();
      else out.bulk(popped.get(0));
    } else {
      out.array(popped.size());
      popped.forEach(out::bulk);
    }
  }
}
