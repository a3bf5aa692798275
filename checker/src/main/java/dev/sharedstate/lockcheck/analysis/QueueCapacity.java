package dev.sharedstate.lockcheck.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import java.util.List;
import java.util.Set;

/**
 * Precision for blocking queues (issue 12, family 6): {@code put} on a {@code LinkedBlockingQueue}
 * built without a capacity never blocks. An insertion the catalogue matched is no finding when the
 * receiver's static type is always unbounded ({@code PriorityBlockingQueue}, {@code DelayQueue},
 * {@code LinkedTransferQueue}), or when every value it may hold ({@link Origins}) is a queue of
 * {@code origins/queues.json} built without a capacity (no argument, a collection, or
 * {@code Integer.MAX_VALUE}). A value that is not known (a parameter, a factory) may be bounded: the
 * call stays a finding.
 */
final class QueueCapacity {

  private static final QueueCapacity BUILT_IN = new QueueCapacity(OriginData.read("queues.json"));

  private final List<String> alwaysUnbounded;
  private final List<String> unboundedWithoutCapacity;
  private final Set<String> insertMethods;

  private QueueCapacity(JsonNode data) {
    alwaysUnbounded = OriginData.strings(data, "alwaysUnbounded");
    unboundedWithoutCapacity = OriginData.strings(data, "unboundedWithoutCapacity");
    insertMethods = Set.copyOf(OriginData.strings(data, "insertMethods"));
  }

  static QueueCapacity builtIn() {
    return BUILT_IN;
  }

  /** True when {@code call}, matched as {@code m}, inserts into a queue that cannot be full. */
  boolean neverBlocks(MethodCallExpr call, BlockingMethod m, FileAnalysis fa) {
    if (!insertMethods.contains(m.method()) || call.getScope().isEmpty()
        || !fa.typer.isSubtype(JType.of(m.owner()), "java.util.concurrent.BlockingQueue")) {
      return false;
    }
    JType receiver = fa.typer.receiverType(call);
    if (isAny(fa.typer, receiver, alwaysUnbounded)) {
      return true;
    }
    List<Origins.Value> values = fa.origins.of(call.getScope().get(), fa.typer, fa.file());
    if (values.isEmpty()) {
      return false;
    }
    for (Origins.Value v : values) {
      if (!unbounded(v)) {
        return false;
      }
    }
    return true;
  }

  private boolean unbounded(Origins.Value v) {
    if (!(v.expr() instanceof ObjectCreationExpr o)) {
      return false;
    }
    JType t = v.typer().context().resolve(o.getType());
    if (isAny(v.typer(), t, alwaysUnbounded)) {
      return true;
    }
    if (!isAny(v.typer(), t, unboundedWithoutCapacity) || o.getAnonymousClassBody().isPresent()) {
      return false;
    }
    if (o.getArguments().isEmpty()) {
      return true;
    }
    if (o.getArguments().size() != 1) {
      return false;
    }
    Expression arg = o.getArgument(0);
    if (arg instanceof FieldAccessExpr f && f.getNameAsString().equals("MAX_VALUE") && f.getScope().toString().equals("Integer")) {
      return true;
    }
    JType at = v.typer().typeOf(arg);
    // new LinkedBlockingQueue<>(collection): a capacity of Integer.MAX_VALUE
    return at.kind() == JType.Kind.CLASS && at.dims() == 0 && v.typer().isSubtype(at, "java.util.Collection");
  }

  private static boolean isAny(ExprTyper typer, JType t, List<String> owners) {
    if (t.kind() != JType.Kind.CLASS || t.dims() > 0) {
      return false;
    }
    for (String o : owners) {
      if (typer.isSubtype(t, o)) {
        return true;
      }
    }
    return false;
  }
}
