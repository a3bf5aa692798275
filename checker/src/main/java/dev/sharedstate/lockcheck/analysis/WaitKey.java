package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import dev.sharedstate.lockcheck.locks.Held;
import dev.sharedstate.lockcheck.locks.HeldLock;
import dev.sharedstate.lockcheck.types.ExprTyper;
import java.util.Optional;

/**
 * The lock a wait inside a helper releases ({@code Object.wait}'s monitor, a {@code Condition}'s
 * lock), named so that a caller can tell whether it is one of its own locks (issue 12, family 4).
 * A helper that takes its own lock and awaits one of its conditions, like Jetty's
 * {@code SharedBlockingCallback.acquire()}, releases only that lock: every lock its caller holds stays
 * held for the whole wait. A helper that waits on a monitor it did not take releases its caller's.
 *
 * <p>The key is read in the frame of the method whose body the chain starts in: {@code lock:_lock}
 * is the field {@code _lock} of that method's {@code this}. One call further up it is rebased through
 * the call: the receiver stands for {@code this} ({@code lock:_writeBlocker._lock}), an argument for a
 * parameter. A local lock (made in the helper) can never be a caller's; a key that cannot be rebased
 * ({@code Outer.this}, a lambda's parameter, a method's result) is {@link Kind#UNKNOWN}, and then the
 * chain is reported for pinning only, as before.
 *
 * @param prefix {@link HeldLock#MONITOR}, {@link HeldLock#LOCK} or {@link HeldLock#STAMPED}
 * @param body the lock expression's key, in the frame named by {@code kind}
 * @param kind what the key's first name is in that frame
 * @param param the parameter's index, for {@link Kind#PARAM}
 * @param own whether the helper (some method of the chain) took that lock itself
 */
record WaitKey(String prefix, String body, Kind kind, int param, boolean own) {

  /** What the first name of a lock key stands for in the method it is read in. */
  enum Kind {
    /** {@code this}, or a field of it (own or inherited). */
    THIS,
    /** A parameter of the method: rebased through the call's argument. */
    PARAM,
    /** A class name (a static field, {@code Foo.class}): the same in every frame. */
    ABSOLUTE,
    /** A local variable: a lock the method made, never one of its caller's. */
    LOCAL,
    /** Not known in the caller's terms. */
    UNKNOWN
  }

  /** The full key ({@code monitor:gate}), as {@link HeldLock#key()} spells it. */
  String key() {
    return prefix + body;
  }

  WaitKey owned() {
    return own ? this : new WaitKey(prefix, body, kind, param, true);
  }

  /**
   * The key of a lock released by a wait at {@code at}, read in that method's frame; {@code own} when
   * the method holds that lock itself (a lock it took, not the stand-in for its caller's).
   */
  static WaitKey at(String fullKey, Node at, FileAnalysis fa, Held held) {
    int colon = fullKey.indexOf(':');
    String prefix = fullKey.substring(0, colon + 1);
    String body = fullKey.substring(colon + 1);
    boolean own = held.locks().stream().anyMatch(l -> l.key().equals(fullKey) && l.id() != CallFollower.CALLERS_LOCK_ID);
    return classify(prefix, body, at, fa.typer, own);
  }

  private static WaitKey classify(String prefix, String body, Node at, ExprTyper typer, boolean own) {
    if (body.equals("this")) {
      return new WaitKey(prefix, body, Kind.THIS, -1, own);
    }
    int dot = body.indexOf('.');
    String root = dot < 0 ? body : body.substring(0, dot);
    if (body.contains(".this") || root.isEmpty() || !Character.isJavaIdentifierStart(root.charAt(0))
        || !root.chars().allMatch(Character::isJavaIdentifierPart)) {
      return new WaitKey(prefix, body, Kind.UNKNOWN, -1, own);
    }
    Optional<ExprTyper.Decl> d = typer.declarationOf(root, at);
    if (d.isEmpty()) {
      Kind k = Character.isUpperCase(root.charAt(0)) ? Kind.ABSOLUTE : Kind.UNKNOWN;
      return new WaitKey(prefix, body, k, -1, own);
    }
    return switch (d.get()) {
      case ExprTyper.Decl.Variable v -> new WaitKey(prefix, body, v.isField() ? Kind.THIS : Kind.LOCAL, -1, own);
      case ExprTyper.Decl.InheritedField f -> new WaitKey(prefix, body, Kind.THIS, -1, own);
      case ExprTyper.Decl.Param p when p.parameter().getParentNode().orElse(null) instanceof CallableDeclaration<?> c ->
          new WaitKey(prefix, body, Kind.PARAM, c.getParameters().indexOf(p.parameter()), own);
      default -> new WaitKey(prefix, body, Kind.UNKNOWN, -1, own);
    };
  }

  /**
   * This key, read in the frame of the method calling the chain's head at {@code call} (a call of
   * {@code fa}'s file): the receiver for {@code this}, the argument for a parameter.
   */
  WaitKey calledFrom(Node call, FileAnalysis fa) {
    return switch (kind) {
      case ABSOLUTE -> this;
      case LOCAL, UNKNOWN -> new WaitKey(prefix, body, kind, -1, own);
      case THIS -> {
        if (call instanceof com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt) {
          yield classify(prefix, body, call, fa.typer, own); // this(...)/super(...): the same object
        }
        if (!(call instanceof MethodCallExpr m)) {
          // a constructor's new object, a method reference: not a lock the caller can hold already
          yield new WaitKey(prefix, body, call instanceof com.github.javaparser.ast.expr.ObjectCreationExpr
              ? Kind.LOCAL : Kind.UNKNOWN, -1, own);
        }
        Optional<Expression> scope = m.getScope();
        if (scope.isEmpty() || (scope.get() instanceof ThisExpr t && t.getTypeName().isEmpty())) {
          yield classify(prefix, body, call, fa.typer, own);
        }
        String receiver = fa.lockOps.key(scope.get());
        String rest = body.equals("this") ? "" : body;
        yield classify(prefix, rest.isEmpty() ? receiver : receiver + "." + rest, call, fa.typer, own);
      }
      case PARAM -> {
        com.github.javaparser.ast.NodeList<Expression> args = switch (call) {
          case MethodCallExpr m -> m.getArguments();
          case com.github.javaparser.ast.expr.ObjectCreationExpr o -> o.getArguments();
          case com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt e -> e.getArguments();
          default -> null;
        };
        if (args == null || param < 0 || param >= args.size()) {
          yield new WaitKey(prefix, body, Kind.UNKNOWN, -1, own);
        }
        int dot = body.indexOf('.');
        String rest = dot < 0 ? "" : body.substring(dot);
        yield classify(prefix, fa.lockOps.key(args.get(param)) + rest, call, fa.typer, own);
      }
    };
  }
}
