package dev.sharedstate.kv.command;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.RespWriter;
import dev.sharedstate.kv.types.SortedSetValue;
import dev.sharedstate.kv.types.SortedSetValue.Scored;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The sorted-set commands: {@code ZADD key [NX | XX] [CH] score member [score member ...]}, {@code
 * ZPOPMIN key [count]}, {@code ZCARD}, {@code ZSCORE}, {@code ZRANGE key start stop [WITHSCORES]} (by
 * index).
 *
 * @param count ZPOPMIN's count (1 when none was given)
 */
public record SortedSetOps(
    Op op, String key, List<String> members, List<Double> scores, int flags, long start, long stop, long count)
    implements Command {
  /** Which sorted-set command. */
  public enum Op { ZADD, ZPOPMIN, ZCARD, ZSCORE, ZRANGE }

  private static final int NX = 1, XX = 2, CH = 4, WITHSCORES = 8;

  static Command parseZadd(Args args) {
    int flags = 0;
    int i = 2;
    for (; i < args.count(); i++) {
      if (args.is(i, "NX")) flags |= NX;
      else if (args.is(i, "XX")) flags |= XX;
      else if (args.is(i, "CH")) flags |= CH;
      else break;
    }
    int pairs = args.count() - i;
    if (pairs == 0 || pairs % 2 != 0) return Failure.syntax();
    if ((flags & NX) != 0 && (flags & XX) != 0) {
      return new Failure("ERR XX and NX options at the same time are not compatible");
    }
    var members = new ArrayList<String>();
    var scores = new ArrayList<Double>();
    for (; i < args.count(); i += 2) {
      Double score = parseScore(args.string(i));
      if (score == null) return new Failure("ERR value is not a valid float");
      scores.add(score);
      members.add(args.string(i + 1));
    }
    return new SortedSetOps(Op.ZADD, args.string(1), members, scores, flags, 0, 0, 0);
  }

  static Command parseZpopmin(Args args) {
    if (args.count() > 3) return Failure.syntax();
    long count = 1;
    if (args.count() == 3) {
      try {
        count = Numbers.parseLong(args.get(2));
      } catch (NumberFormatException e) {
        return Failure.notPositive();
      }
      if (count < 0) return Failure.notPositive();
    }
    return new SortedSetOps(Op.ZPOPMIN, args.string(1), List.of(), List.of(), 0, 0, 0, count);
  }

  static Command parseZcard(Args args) {
    return new SortedSetOps(Op.ZCARD, args.string(1), List.of(), List.of(), 0, 0, 0, 0);
  }

  static Command parseZscore(Args args) {
    return new SortedSetOps(Op.ZSCORE, args.string(1), List.of(args.string(2)), List.of(), 0, 0, 0, 0);
  }

  static Command parseZrange(Args args) {
    int flags = 0;
    if (args.count() == 5 && args.is(4, "WITHSCORES")) flags = WITHSCORES;
    else if (args.count() != 4) return Failure.syntax();
    try {
      return new SortedSetOps(Op.ZRANGE, args.string(1), List.of(), List.of(), flags,
          Numbers.parseLong(args.get(2)), Numbers.parseLong(args.get(3)), 0);
    } catch (NumberFormatException e) {
      return Failure.notAnInteger();
    }
  }

  /** A score as Redis's {@code strtod} takes it (inf, -inf, decimals, exponents), or null. */
  static Double parseScore(String s) {
    if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) return null;
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") || lower.equals("+infinity")) return Double.POSITIVE_INFINITY;
    if (lower.equals("-inf") || lower.equals("-infinity")) return Double.NEGATIVE_INFINITY;
    if (!lower.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) return null;
    double d = Double.parseDouble(s);
    return Double.isNaN(d) ? null : d;
  }

  /** A score as Redis replies it: {@code %.17g}, the shortest of that form. */
  static String formatScore(double d) {
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == Math.rint(d) && Math.abs(d) < 1e17) return Long.toString((long) d);
    var bd = new BigDecimal(d).round(new MathContext(17)).stripTrailingZeros();
    int exponent = bd.precision() - bd.scale() - 1;
    if (exponent < -4 || exponent >= 17) {
      String digits = bd.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
          + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    return bd.toPlainString();
  }

  @Override
  public void execute(Session session, RespWriter out) {
    long now = session.now();
    if (op == Op.ZADD || op == Op.ZPOPMIN) {
      write(session, out, now);
      return;
    }
    Entry e = session.db().live(key, now);
    if (e != null && !(e.aggregate() instanceof SortedSetValue)) {
      out.error(Failure.WRONGTYPE);
      return;
    }
    SortedSetValue z = e == null ? null : (SortedSetValue) e.aggregate();
    switch (op) {
      case ZCARD -> out.integer(z == null ? 0 : z.size());
      case ZSCORE -> {
        Double s = z == null ? null : z.scores().get(members.get(0));
        if (s == null) out.nullBulk();
        else out.bulk(formatScore(s));
      }
      default -> {
        long size = z == null ? 0 : z.size();
        long from = start < 0 ? Math.max(size + start, 0) : start;
        long to = stop < 0 ? size + stop : Math.min(stop, size - 1);
        if (z == null || from > to || from >= size) {
          out.array(0);
          return;
        }
        boolean withScores = (flags & WITHSCORES) != 0;
        out.array((int) ((to - from + 1) * (withScores ? 2 : 1)));
        for (Scored s : z.ordered().subList((int) from, (int) to + 1)) {
          out.bulk(s.member());
          if (withScores) out.bulk(formatScore(s.score()));
        }
      }
    }
  }

  private void write(Session session, RespWriter out, long now) {
    long[] changed = {0};
    boolean[] wrongType = {false};
    var popped = new ArrayList<Scored>();
    session.db().update(key, current -> {
      changed[0] = 0;
      popped.clear();
      Entry live = Entry.live(current, now);
      wrongType[0] = live != null && !(live.aggregate() instanceof SortedSetValue);
      if (wrongType[0]) return current;
      SortedSetValue z = live == null ? null : (SortedSetValue) live.aggregate();
      var scoresNow = new HashMap<String, Double>(z == null ? java.util.Map.of() : z.scores());
      if (op == Op.ZADD) {
        for (int i = 0; i < members.size(); i++) {
          Double old = scoresNow.get(members.get(i));
          if ((flags & NX) != 0 && old != null) continue;
          if ((flags & XX) != 0 && old == null) continue;
          scoresNow.put(members.get(i), scores.get(i));
          if (old == null || ((flags & CH) != 0 && !old.equals(scores.get(i)))) changed[0]++;
        }
      } else if (z != null) {
        for (Scored s : z.ordered()) {
          if (popped.size() >= count) break;
          popped.add(s);
          scoresNow.remove(s.member());
        }
      }
      SortedSetValue next = SortedSetValue.of(scoresNow);
      return next == null ? null : Entry.of(next, live == null ? Entry.NEVER : live.expiresAtMillis());
    });
    if (wrongType[0]) {
      out.error(Failure.WRONGTYPE);
    } else if (op == Op.ZADD) {
      out.integer(changed[0]);
    } else {
      out.array(popped.size() * 2);
      for (Scored s : popped) {
        out.bulk(s.member());
        out.bulk(formatScore(s.score()));
      }
    }
  }
}
