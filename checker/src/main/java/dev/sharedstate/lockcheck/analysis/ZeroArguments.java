package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithArguments;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import dev.sharedstate.lockcheck.types.ExprTyper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A zero timeout passed down through helpers (issue 12, family 5 continued): {@code pollNow()} calls
 * {@code poll(0)}, which passes its timeout on to {@code select(timeout)}, which calls {@code selectNow()}
 * when the timeout is 0 and {@code select(timeout)} (the blocking call) only otherwise. A call under a
 * lock whose arguments include a value known not to be positive is followed into a summary of the
 * callee made with that knowledge (a separate memo entry, so the ordinary summary is untouched): a
 * timed wait given the parameter does not wait ({@link ZeroTimeout}), and a blocking call on a branch
 * the parameter's value cannot reach is dropped. Everything else the callee does is walked as usual,
 * so a helper that blocks besides the timeout is still reported.
 *
 * <p>Values known here: a literal 0 or negative number, {@code Duration.ZERO}, a parameter given one,
 * a local every assignment of which is one, {@code min(..)} of arguments one of which is one; and a
 * deadline object made by a {@code timer(0)}/{@code deadline(0)}-style call (one argument, not
 * positive, a name containing "timer" or "deadline"), whose {@code remaining..()} is then not positive
 * as long as the method given it calls nothing on it that takes an argument (no {@code reset(5_000)}).
 * A branch is unreachable when the conditions leading to it ({@code if}/{@code else}, {@code &&},
 * {@code ?:}, {@code while}, and earlier {@code if (..) return/throw}) compare such a parameter with a
 * number in a way no value it may have satisfies; only parameters the method never assigns count there.
 */
final class ZeroArguments {

  /**
   * A number not positive, a zero {@code Duration}, a deadline already passed; or a {@code boolean}
   * flag known {@code true} or {@code false} ({@code cacheBlockWithWait(key, block, inMemory, false)}
   * skips its {@code if (wait) queue.offer(e, timeout, unit)}: HBase's BucketCache).
   */
  enum Kind { NUMBER, DURATION, EXPIRED, TRUE, FALSE }

  /** Parameters known not positive, by declaration; {@code assigned}: those the method reassigns (to another such value). */
  record Env(Map<Parameter, Kind> kinds, Set<Parameter> assigned) {
    static final Env NONE = new Env(Map.of(), Set.of());

    boolean isEmpty() {
      return kinds.isEmpty();
    }

    /** A stable text for the memo key: which parameter positions hold which kind. */
    String signature(CallableDeclaration<?> c) {
      StringBuilder b = new StringBuilder("|zero");
      for (int i = 0; i < c.getParameters().size(); i++) {
        Kind k = kinds.get(c.getParameter(i));
        if (k != null) {
          b.append(':').append(i).append(k.name().charAt(0));
        }
      }
      return b.toString();
    }
  }

  private static final int MAX_DEPTH = 6;

  private ZeroArguments() {}

  /** The kinds of a call's arguments that are known, by position (empty when none is). */
  static Map<Integer, Kind> arguments(Node call, Env env, ExprTyper typer) {
    if (!(call instanceof NodeWithArguments<?> n)) {
      return Map.of();
    }
    Map<Integer, Kind> out = null;
    for (int i = 0; i < n.getArguments().size(); i++) {
      Kind k = kindOf(n.getArguments().get(i), env, typer);
      if (k != null) {
        if (out == null) {
          out = new java.util.TreeMap<>();
        }
        out.put(i, k);
      }
    }
    return out == null ? Map.of() : out;
  }

  /** The environment a callee's body is walked in, given its arguments' kinds (parameters it reassigns otherwise dropped). */
  static Env bind(CallableDeclaration<?> callee, Map<Integer, Kind> args, ExprTyper typer) {
    if (args.isEmpty()) {
      return Env.NONE;
    }
    int n = callee.getParameters().size();
    Map<Parameter, Kind> kinds = new IdentityHashMap<>();
    for (var e : args.entrySet()) {
      int i = e.getKey();
      if (i >= n || (i == n - 1 && callee.getParameter(i).isVarArgs())) {
        continue;
      }
      Parameter p = callee.getParameter(i);
      if ((e.getValue() == Kind.TRUE || e.getValue() == Kind.FALSE) && !testsFlag(callee, p.getNameAsString())) {
        continue; // a flag the callee neither tests nor passes on: a summary of its own would only cost
      }
      kinds.put(p, e.getValue());
    }
    Set<Parameter> assigned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Parameter p : List.copyOf(kinds.keySet())) {
      String name = p.getNameAsString();
      for (AssignExpr a : callee.findAll(AssignExpr.class)) {
        if (a.getTarget() instanceof NameExpr t && t.getNameAsString().equals(name) && refersTo(t, p, typer)) {
          assigned.add(p);
          if (a.getOperator() != AssignExpr.Operator.ASSIGN || kindOf(a.getValue(), Env.NONE, typer) != kinds.get(p)) {
            kinds.remove(p);
          }
        }
      }
      for (UnaryExpr u : callee.findAll(UnaryExpr.class)) {
        if (u.getExpression() instanceof NameExpr t && t.getNameAsString().equals(name) && isStep(u)
            && refersTo(t, p, typer)) {
          kinds.remove(p);
        }
      }
      if (kinds.get(p) == Kind.EXPIRED) {
        // a deadline given a new time (timer.reset(5_000)) may not be passed any more: only reads keep it
        for (MethodCallExpr m : callee.findAll(MethodCallExpr.class)) {
          if (!m.getArguments().isEmpty() && m.getScope().orElse(null) instanceof NameExpr t
              && t.getNameAsString().equals(name) && refersTo(t, p, typer)) {
            kinds.remove(p);
            break;
          }
        }
      }
    }
    return kinds.isEmpty() ? Env.NONE : new Env(kinds, assigned);
  }

  /** The callee tests the flag {@code name} as a condition (alone, negated, in {@code &&}/{@code ||}) or passes it on. */
  private static boolean testsFlag(CallableDeclaration<?> callee, String name) {
    for (NameExpr n : callee.findAll(NameExpr.class, x -> x.getNameAsString().equals(name))) {
      Node parent = n.getParentNode().orElse(null);
      boolean tested = switch (parent) {
        case IfStmt i -> i.getCondition() == n;
        case WhileStmt w -> w.getCondition() == n;
        case ConditionalExpr c -> c.getCondition() == n;
        case UnaryExpr u -> u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT;
        case BinaryExpr b -> b.getOperator() == BinaryExpr.Operator.AND || b.getOperator() == BinaryExpr.Operator.OR;
        case MethodCallExpr m -> m.getArguments().contains(n);
        case ObjectCreationExpr o -> o.getArguments().contains(n);
        case null, default -> false;
      };
      if (tested) {
        return true;
      }
    }
    return false;
  }

  private static boolean isStep(UnaryExpr u) {
    return u.getOperator() == UnaryExpr.Operator.PREFIX_INCREMENT || u.getOperator() == UnaryExpr.Operator.POSTFIX_INCREMENT
        || u.getOperator() == UnaryExpr.Operator.PREFIX_DECREMENT || u.getOperator() == UnaryExpr.Operator.POSTFIX_DECREMENT;
  }

  private static boolean refersTo(NameExpr n, Parameter p, ExprTyper typer) {
    return typer.declarationOf(n.getNameAsString(), n)
        .map(d -> d instanceof ExprTyper.Decl.Param q && q.parameter() == p).orElse(false);
  }

  static Kind kindOf(Expression e, Env env, ExprTyper typer) {
    return kindOf(e, env, typer, new HashSet<>(), 0);
  }

  private static Kind kindOf(Expression e, Env env, ExprTyper typer, Set<VariableDeclarator> assuming, int depth) {
    while (e instanceof EnclosedExpr || e instanceof CastExpr) {
      e = e instanceof EnclosedExpr x ? x.getInner() : ((CastExpr) e).getExpression();
    }
    if (depth > MAX_DEPTH) {
      return null;
    }
    if (ZeroTimeout.notPositive(e)) {
      return Kind.NUMBER;
    }
    if (ZeroTimeout.isZeroDuration(e)) {
      return Kind.DURATION;
    }
    if (e instanceof BooleanLiteralExpr b) {
      return b.getValue() ? Kind.TRUE : Kind.FALSE;
    }
    if (e instanceof NameExpr n) {
      if (env.isEmpty()) {
        return null; // under the lock itself: a name is not looked up (the cost of every call followed)
      }
      Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
      if (d.isEmpty()) {
        return null;
      }
      if (d.get() instanceof ExprTyper.Decl.Param p) {
        return env.kinds().get(p.parameter());
      }
      if (d.get() instanceof ExprTyper.Decl.Variable v && !v.isField()) {
        return localKind(v.declarator(), env, typer, assuming, depth);
      }
      return null;
    }
    if (e instanceof ConditionalExpr c) {
      Kind a = kindOf(c.getThenExpr(), env, typer, assuming, depth + 1);
      return a != null && a == kindOf(c.getElseExpr(), env, typer, assuming, depth + 1) ? a : null;
    }
    if (e instanceof MethodCallExpr m) {
      String name = m.getNameAsString();
      if (name.equals("min") && m.getArguments().size() >= 2) {
        for (Expression a : m.getArguments()) {
          if (kindOf(a, env, typer, assuming, depth + 1) == Kind.NUMBER) {
            return Kind.NUMBER; // min(0, x) <= 0
          }
        }
        return null;
      }
      if (m.getArguments().isEmpty() && name.startsWith("remaining") && m.getScope().isPresent()
          && kindOf(m.getScope().get(), env, typer, assuming, depth + 1) == Kind.EXPIRED) {
        return Kind.NUMBER;
      }
      if (m.getArguments().size() == 1 && deadlineName(name)
          && kindOf(m.getArgument(0), env, typer, assuming, depth + 1) == Kind.NUMBER) {
        return Kind.EXPIRED;
      }
      return null;
    }
    if (e instanceof ObjectCreationExpr o && o.getArguments().size() == 1 && deadlineName(o.getType().getNameAsString())
        && kindOf(o.getArgument(0), env, typer, assuming, depth + 1) == Kind.NUMBER) {
      return Kind.EXPIRED;
    }
    return null;
  }

  private static boolean deadlineName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("timer") || n.contains("deadline");
  }

  /** A local all of whose values (initializer and assignments) are of one kind; itself assumed so meanwhile. */
  private static Kind localKind(VariableDeclarator v, Env env, ExprTyper typer, Set<VariableDeclarator> assuming,
      int depth) {
    if (v.getInitializer().isEmpty()) {
      return null;
    }
    if (!assuming.add(v)) {
      return Kind.NUMBER; // met again while its own values are checked (x = min(x, y)): assumed, as in an induction
    }
    try {
      Kind k = kindOf(v.getInitializer().get(), env, typer, assuming, depth + 1);
      if (k == null) {
        return null;
      }
      Node scope = v.findAncestor(CallableDeclaration.class).map(c -> (Node) c)
          .or(() -> v.findAncestor(LambdaExpr.class).map(l -> (Node) l)).orElse(null);
      if (scope == null) {
        return null;
      }
      String name = v.getNameAsString();
      for (AssignExpr a : scope.findAll(AssignExpr.class)) {
        if (a.getTarget() instanceof NameExpr t && t.getNameAsString().equals(name)) {
          if (a.getOperator() != AssignExpr.Operator.ASSIGN
              || kindOf(a.getValue(), env, typer, assuming, depth + 1) != k) {
            return null;
          }
        }
      }
      for (UnaryExpr u : scope.findAll(UnaryExpr.class)) {
        if (u.getExpression() instanceof NameExpr t && t.getNameAsString().equals(name) && isStep(u)) {
          return null;
        }
      }
      return k;
    } finally {
      assuming.remove(v);
    }
  }

  // ---------------------------------------------------------------- reachability

  /** Can {@code at} run, given the parameters' values? False only when the conditions leading to it rule them out. */
  static boolean reachable(Node at, Env env, ExprTyper typer) {
    if (env.isEmpty()) {
      return true;
    }
    Map<Parameter, long[]> ranges = new IdentityHashMap<>();
    Map<Parameter, long[]> flags = new IdentityHashMap<>(); // {value, 1 when a condition contradicts it}
    for (var e : env.kinds().entrySet()) {
      if (env.assigned().contains(e.getKey())) {
        continue;
      }
      if (e.getValue() == Kind.NUMBER) {
        ranges.put(e.getKey(), new long[] {Long.MIN_VALUE, 0});
      } else if (e.getValue() == Kind.TRUE || e.getValue() == Kind.FALSE) {
        flags.put(e.getKey(), new long[] {e.getValue() == Kind.TRUE ? 1 : 0, 0});
      }
    }
    if (ranges.isEmpty() && flags.isEmpty()) {
      return true;
    }
    List<Object[]> conditions = new ArrayList<>(); // {Expression, Boolean}
    Node child = at;
    for (Node a = at.getParentNode().orElse(null); a != null && !(a instanceof CallableDeclaration<?>)
        && !(a instanceof LambdaExpr); child = a, a = a.getParentNode().orElse(null)) {
      final Node from = child;
      switch (a) {
        case IfStmt i when from == i.getThenStmt() -> conditions.add(new Object[] {i.getCondition(), true});
        case IfStmt i when i.getElseStmt().map(s -> s == from).orElse(false) ->
            conditions.add(new Object[] {i.getCondition(), false});
        case ConditionalExpr c when from == c.getThenExpr() -> conditions.add(new Object[] {c.getCondition(), true});
        case ConditionalExpr c when from == c.getElseExpr() -> conditions.add(new Object[] {c.getCondition(), false});
        case BinaryExpr b when from == b.getRight() && b.getOperator() == BinaryExpr.Operator.AND ->
            conditions.add(new Object[] {b.getLeft(), true});
        case BinaryExpr b when from == b.getRight() && b.getOperator() == BinaryExpr.Operator.OR ->
            conditions.add(new Object[] {b.getLeft(), false});
        case WhileStmt w when from == w.getBody() -> conditions.add(new Object[] {w.getCondition(), true});
        case BlockStmt b -> {
          for (Statement s : b.getStatements()) {
            if (s == from) {
              break;
            }
            if (s instanceof IfStmt i && i.getElseStmt().isEmpty() && exits(i.getThenStmt())) {
              conditions.add(new Object[] {i.getCondition(), false});
            }
          }
        }
        default -> { }
      }
    }
    for (Object[] c : conditions) {
      constrain((Expression) c[0], (Boolean) c[1], ranges, flags, typer);
    }
    return ranges.values().stream().allMatch(r -> r[0] <= r[1]) && flags.values().stream().allMatch(f -> f[1] == 0);
  }

  private static boolean exits(Statement s) {
    if (s instanceof ThrowStmt || s instanceof ReturnStmt) {
      return true;
    }
    return s instanceof BlockStmt b && !b.getStatements().isEmpty() && exits(b.getStatements().getLast().get());
  }

  /** Narrows the ranges by what {@code cond} being {@code truth} says of the parameters. */
  private static void constrain(Expression cond, boolean truth, Map<Parameter, long[]> ranges,
      Map<Parameter, long[]> flags, ExprTyper typer) {
    if (cond instanceof EnclosedExpr x) {
      constrain(x.getInner(), truth, ranges, flags, typer);
      return;
    }
    if (cond instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
      constrain(u.getExpression(), !truth, ranges, flags, typer);
      return;
    }
    if (cond instanceof NameExpr) {
      Parameter f = param(cond, flags, typer);
      if (f != null && (flags.get(f)[0] == 1) != truth) {
        flags.get(f)[1] = 1; // the branch needs the flag to have the other value
      }
      return;
    }
    if (!(cond instanceof BinaryExpr b)) {
      return;
    }
    BinaryExpr.Operator op = b.getOperator();
    if (op == BinaryExpr.Operator.AND || op == BinaryExpr.Operator.OR) {
      if ((op == BinaryExpr.Operator.AND) == truth) { // a && b true, or a || b false: both sides known
        constrain(b.getLeft(), truth, ranges, flags, typer);
        constrain(b.getRight(), truth, ranges, flags, typer);
      }
      return;
    }
    Parameter p = param(b.getLeft(), ranges, typer);
    Long c = number(b.getRight());
    if (p == null) {
      p = param(b.getRight(), ranges, typer);
      c = number(b.getLeft());
      op = flip(op);
    }
    if (p == null || c == null || op == null) {
      return;
    }
    if (!truth) {
      op = negate(op);
    }
    long[] r = ranges.get(p);
    switch (op) {
      case LESS -> r[1] = Math.min(r[1], c == Long.MIN_VALUE ? c : c - 1);
      case LESS_EQUALS -> r[1] = Math.min(r[1], c);
      case GREATER -> r[0] = Math.max(r[0], c == Long.MAX_VALUE ? c : c + 1);
      case GREATER_EQUALS -> r[0] = Math.max(r[0], c);
      case EQUALS -> {
        r[0] = Math.max(r[0], c);
        r[1] = Math.min(r[1], c);
      }
      case NOT_EQUALS -> {
        if (r[1] == c) {
          r[1] = c - 1;
        } else if (r[0] == c) {
          r[0] = c + 1;
        }
      }
      default -> { }
    }
  }

  private static Parameter param(Expression e, Map<Parameter, long[]> ranges, ExprTyper typer) {
    while (e instanceof EnclosedExpr x) {
      e = x.getInner();
    }
    if (e instanceof NameExpr n) {
      Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
      if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Param p && ranges.containsKey(p.parameter())) {
        return p.parameter();
      }
    }
    return null;
  }

  private static Long number(Expression e) {
    while (e instanceof EnclosedExpr || e instanceof CastExpr) {
      e = e instanceof EnclosedExpr x ? x.getInner() : ((CastExpr) e).getExpression();
    }
    boolean minus = false;
    if (e instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.MINUS) {
      minus = true;
      e = u.getExpression();
    }
    try {
      if (e instanceof com.github.javaparser.ast.expr.IntegerLiteralExpr i) {
        long v = i.asNumber().longValue();
        return minus ? -v : v;
      }
      if (e instanceof com.github.javaparser.ast.expr.LongLiteralExpr l) {
        long v = l.asNumber().longValue();
        return minus ? -v : v;
      }
    } catch (RuntimeException ex) {
      return null;
    }
    return null;
  }

  private static BinaryExpr.Operator flip(BinaryExpr.Operator op) {
    return switch (op) {
      case LESS -> BinaryExpr.Operator.GREATER;
      case LESS_EQUALS -> BinaryExpr.Operator.GREATER_EQUALS;
      case GREATER -> BinaryExpr.Operator.LESS;
      case GREATER_EQUALS -> BinaryExpr.Operator.LESS_EQUALS;
      case EQUALS, NOT_EQUALS -> op;
      default -> null;
    };
  }

  private static BinaryExpr.Operator negate(BinaryExpr.Operator op) {
    return switch (op) {
      case LESS -> BinaryExpr.Operator.GREATER_EQUALS;
      case LESS_EQUALS -> BinaryExpr.Operator.GREATER;
      case GREATER -> BinaryExpr.Operator.LESS_EQUALS;
      case GREATER_EQUALS -> BinaryExpr.Operator.LESS;
      case EQUALS -> BinaryExpr.Operator.NOT_EQUALS;
      case NOT_EQUALS -> BinaryExpr.Operator.EQUALS;
      default -> null;
    };
  }
}
