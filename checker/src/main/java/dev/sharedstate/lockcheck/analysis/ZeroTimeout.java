package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import java.util.List;
import java.util.Set;

/**
 * A timed wait given a zero (or negative) timeout does not wait (issue 12, family 5): the JDK's
 * {@code (long timeout, TimeUnit unit)} methods return at once when the time is up before they start
 * ({@code queue.poll(0, SECONDS)}, {@code semaphore.tryAcquire(0, ..)}, {@code latch.await(0, ..)},
 * {@code future.get(0, ..)}, {@code executor.awaitTermination(0, ..)}), and so do the {@code Duration}
 * forms given {@code Duration.ZERO} and {@code TimeUnit.sleep/timedJoin/timedWait(.., 0)}
 * ("If the timeout is less than or equal to zero, the method will not wait at all"). Not the
 * forms where zero means forever: {@code Object.wait(0)}, {@code Thread.join(0)}, {@code Selector.select(0)},
 * a socket timeout of 0; they take no {@code TimeUnit} and are not matched here. {@code Thread.sleep(0)}
 * returns at once as well.
 */
final class ZeroTimeout {

  private static final String TIME_UNIT = "java.util.concurrent.TimeUnit";
  private static final Set<String> TIME_UNIT_WAITS = Set.of("sleep", "timedJoin", "timedWait");
  private static final Set<String> NANOS_WAITS = Set.of("awaitNanos", "parkNanos");

  private ZeroTimeout() {}

  static boolean waitsNot(MethodCallExpr call, BlockingMethod m, ExprTyper typer) {
    return waitsNot(call, m, typer, ZeroArguments.Env.NONE);
  }

  /** As above, where {@code env} knows which parameters hold a zero timeout (passed down by a caller). */
  static boolean waitsNot(MethodCallExpr call, BlockingMethod m, ExprTyper typer, ZeroArguments.Env env) {
    java.util.function.Predicate<Expression> notPositive = env.isEmpty() ? ZeroTimeout::notPositive
        : e -> notPositive(e) || ZeroArguments.kindOf(e, env, typer) == ZeroArguments.Kind.NUMBER;
    java.util.function.Predicate<Expression> isZeroDuration = env.isEmpty() ? ZeroTimeout::isZeroDuration
        : e -> isZeroDuration(e) || ZeroArguments.kindOf(e, env, typer) == ZeroArguments.Kind.DURATION;
    List<Expression> args = call.getArguments();
    if (args.isEmpty()) {
      return false;
    }
    if (m.owner().equals(TIME_UNIT) && TIME_UNIT_WAITS.contains(m.method())) {
      return notPositive.test(args.get(args.size() - 1));
    }
    if (NANOS_WAITS.contains(m.method()) && (m.owner().equals("java.util.concurrent.locks.Condition")
        || m.owner().equals("java.util.concurrent.locks.LockSupport"))) {
      return notPositive.test(args.get(args.size() - 1)); // awaitNanos(0), parkNanos(0): "returns immediately"
    }
    if (m.owner().equals("java.lang.Thread") && m.method().equals("sleep")) {
      return args.stream().allMatch(notPositive) || isZeroDuration.test(args.get(0));
    }
    for (int i = 0; i < args.size(); i++) {
      Expression a = args.get(i);
      if (isZeroDuration.test(a)) {
        return true;
      }
      if (i > 0 && isTimeUnit(a, typer) && notPositive.test(args.get(i - 1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTimeUnit(Expression a, ExprTyper typer) {
    JType t = typer.typeOf(a);
    if (t.kind() == JType.Kind.CLASS) {
      return t.name().equals(TIME_UNIT);
    }
    String text = a.toString();
    return text.startsWith("TimeUnit.") || Set.of("NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS",
        "MINUTES", "HOURS", "DAYS").contains(text);
  }

  /** A literal zero or negative number (casts and parentheses looked through). */
  static boolean notPositive(Expression e) {
    while (e instanceof EnclosedExpr || e instanceof CastExpr) {
      e = e instanceof EnclosedExpr x ? x.getInner() : ((CastExpr) e).getExpression();
    }
    if (e instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.MINUS) {
      return u.getExpression() instanceof IntegerLiteralExpr || u.getExpression() instanceof LongLiteralExpr;
    }
    if (e instanceof IntegerLiteralExpr i) {
      return i.asNumber().longValue() == 0;
    }
    if (e instanceof LongLiteralExpr l) {
      return l.asNumber().longValue() == 0;
    }
    return false;
  }

  /** {@code Duration.ZERO}, or {@code Duration.ofMillis(0)} and the other {@code of*} factories given 0. */
  static boolean isZeroDuration(Expression e) {
    if (e instanceof FieldAccessExpr f) {
      return f.getNameAsString().equals("ZERO") && f.getScope().toString().endsWith("Duration");
    }
    if (e instanceof MethodCallExpr c && c.getNameAsString().startsWith("of") && c.getArguments().size() == 1
        && c.getScope().map(s -> s.toString().endsWith("Duration")).orElse(false)) {
      return notPositive(c.getArgument(0));
    }
    return false;
  }
}
