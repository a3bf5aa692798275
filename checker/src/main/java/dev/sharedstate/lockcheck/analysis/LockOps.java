package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.type.PrimitiveType;
import dev.sharedstate.lockcheck.blocking.Catalogue;
import dev.sharedstate.lockcheck.blocking.LockMethod;
import dev.sharedstate.lockcheck.locks.HeldLock;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises lock operations in calls: {@code lock()/lockInterruptibly()/tryLock(..)/unlock()} on a
 * {@code Lock} (directly, through {@code readLock()/writeLock()}, or through a local alias), and
 * {@code StampedLock} stamps. A receiver whose type is known and is not a lock (e.g.
 * {@code FileChannel.lock()}) is not a lock operation; an unknown receiver is taken at its word.
 */
final class LockOps {

  private static final String LOCK = "java.util.concurrent.locks.Lock";
  private static final String STAMPED = "java.util.concurrent.locks.StampedLock";
  private static final Set<String> STAMP_ACQUIRE = Set.of(
      "readLock", "writeLock", "readLockInterruptibly", "writeLockInterruptibly", "tryReadLock", "tryWriteLock");
  private static final Set<String> STAMP_RELEASE = Set.of("unlockRead", "unlockWrite", "tryUnlockRead", "tryUnlockWrite");

  /** What a call does to the held-lock set. */
  sealed interface Op {
    /** Takes {@code key}; {@code conditional} for tryLock (held only where it returned true). */
    record Acquire(String key, String lockText, String how, boolean conditional, boolean stamped, String mode)
        implements Op {}

    record Release(String key) implements Op {}

    record None() implements Op {}
  }

  static final Op NONE = new Op.None();

  private final ExprTyper typer;
  private final Catalogue catalogue;

  LockOps(ExprTyper typer, Catalogue catalogue) {
    this.typer = typer;
    this.catalogue = catalogue;
  }

  /** Quick name test before anything costs: could this call be a lock operation at all? */
  boolean mayBeLockOp(String name) {
    return isBuiltInLockOpName(name) || catalogue.lockMethodNames().contains(name)
        || (catalogue.hasLockWrappers() && name.equals("close"));
  }

  private static boolean isBuiltInLockOpName(String name) {
    return switch (name) {
      case "lock", "lockInterruptibly", "tryLock", "unlock" -> true;
      default -> STAMP_ACQUIRE.contains(name) || STAMP_RELEASE.contains(name);
    };
  }

  Op classify(MethodCallExpr call) {
    String name = call.getNameAsString();
    if (!mayBeLockOp(name) || call.getScope().isEmpty()) {
      return NONE;
    }
    Expression scope = call.getScope().get();
    if (!catalogue.lockMethods().isEmpty()) {
      Optional<Op> declared = declared(call, name, scope);
      if (declared.isPresent()) {
        return declared.get();
      }
      if (!isBuiltInLockOpName(name)) {
        return NONE;
      }
    }
    int args = call.getArguments().size();
    switch (name) {
      case "lock", "lockInterruptibly", "tryLock" -> {
        if (name.equals("tryLock") ? args != 0 && args != 2 : args != 0) {
          return NONE;
        }
        if (!isLockReceiver(scope)) {
          return NONE;
        }
        String how = name.equals("tryLock") ? (args == 0 ? "tryLock()" : "tryLock(timeout)") : name + "()";
        return new Op.Acquire(HeldLock.LOCK + key(scope), text(scope), how, name.equals("tryLock"), false, "");
      }
      case "unlock" -> {
        if (args == 0) {
          return isLockReceiver(scope) ? new Op.Release(HeldLock.LOCK + key(scope)) : NONE;
        }
        if (args == 1 && isStamped(scope)) {
          return new Op.Release(HeldLock.STAMPED + key(scope));
        }
        return NONE;
      }
      default -> {
        if (STAMP_RELEASE.contains(name)) {
          return new Op.Release(HeldLock.STAMPED + key(scope));
        }
        if (STAMP_ACQUIRE.contains(name) && args <= 2 && usedAsStamp(call, scope)) {
          String mode = name.toLowerCase().contains("read") ? "read" : "write";
          return new Op.Acquire(HeldLock.STAMPED + key(scope), text(scope), name + "()", false, true, mode);
        }
        return NONE;
      }
    }
  }

  /**
   * A lock method the project declared (lockcheck.yaml): a lock/unlock pair on the receiver, a wrapper
   * whose returned handle holds the receiver's lock, or {@code close()} on a local holding such a handle.
   */
  private Optional<Op> declared(MethodCallExpr call, String name, Expression scope) {
    if (name.equals("close") && call.getArguments().isEmpty() && scope instanceof NameExpr n) {
      Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
      if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Variable v && !v.isField()
          && v.declarator().getInitializer().orElse(null) instanceof MethodCallExpr init
          && init.getScope().isPresent() && wrapper(init).isPresent()) {
        return Optional.of(new Op.Release(HeldLock.LOCK + key(init.getScope().get())));
      }
    }
    for (LockMethod m : catalogue.lockMethods()) {
      if (!m.method().equals(name) || !m.acceptsArity(call.getArguments().size())
          || !ownerMatches(scope, m.owner(), m.byNameWhenUnresolved())) {
        continue;
      }
      return Optional.of(switch (m.kind()) {
        case LOCK, WRAPPER -> new Op.Acquire(HeldLock.LOCK + key(scope), text(scope), name + "()", false, false, "");
        case TRY_LOCK -> new Op.Acquire(HeldLock.LOCK + key(scope), text(scope), name + "(..)", true, false, "");
        case UNLOCK -> new Op.Release(HeldLock.LOCK + key(scope));
      });
    }
    return Optional.empty();
  }

  private Optional<LockMethod> wrapper(MethodCallExpr call) {
    for (LockMethod m : catalogue.lockMethods()) {
      if (m.kind() == LockMethod.Kind.WRAPPER && m.method().equals(call.getNameAsString())
          && m.acceptsArity(call.getArguments().size())
          && ownerMatches(call.getScope().get(), m.owner(), m.byNameWhenUnresolved())) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The receiver's type is the owner or a subtype; an unresolved type by the name it was written with. */
  private boolean ownerMatches(Expression scope, String owner, boolean byNameWhenUnresolved) {
    if (owner == null) {
      return true;
    }
    JType t = typer.typeOf(scope);
    return switch (t.kind()) {
      case CLASS -> t.dims() == 0 && typer.isSubtype(t, owner);
      case UNRESOLVED -> byNameWhenUnresolved && t.dims() == 0 && (owner.equals(t.name()) || owner.endsWith("." + t.name()));
      default -> false;
    };
  }

  private boolean isLockReceiver(Expression scope) {
    JType t = typer.typeOf(scope);
    if (t.kind() != JType.Kind.CLASS) {
      return true; // unknown: a call named lock()/unlock() on it is taken as a lock operation
    }
    if (typer.isSubtype(t, LOCK)) {
      return true;
    }
    // a project lock that does not implement Lock but pairs lock() with unlock()
    var universe = typer.context().universe();
    return !universe.findMethods(t, "unlock", 0, typer.context()).isEmpty()
        && !universe.findMethods(t, "lock", 0, typer.context()).isEmpty()
        && !typer.isSubtype(t, "java.nio.channels.FileChannel");
  }

  private boolean isStamped(Expression scope) {
    JType t = typer.typeOf(scope);
    return t.kind() != JType.Kind.CLASS || typer.isSubtype(t, STAMPED);
  }

  /** sl.writeLock() is a stamp when sl is a StampedLock, or the result is kept in a long. */
  private boolean usedAsStamp(MethodCallExpr call, Expression scope) {
    JType t = typer.typeOf(scope);
    if (t.kind() == JType.Kind.CLASS) {
      return typer.isSubtype(t, STAMPED);
    }
    Node parent = call.getParentNode().orElse(null);
    if (parent instanceof VariableDeclarator v) {
      return v.getType() instanceof PrimitiveType p && p.getType() == PrimitiveType.Primitive.LONG;
    }
    if (parent instanceof AssignExpr a) {
      JType target = typer.typeOf(a.getTarget());
      return target.kind() == JType.Kind.PRIMITIVE && target.name().equals("long");
    }
    return false;
  }

  /** The lock's text as written (for messages). */
  static String text(Expression e) {
    String s = e.toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** A canonical key for a lock expression: {@code this.} dropped, local aliases followed. */
  String key(Expression e) {
    return key(e, 0);
  }

  private String key(Expression e, int depth) {
    if (depth > 6) {
      return e.toString();
    }
    return switch (e) {
      case EnclosedExpr x -> key(x.getInner(), depth + 1);
      case CastExpr c -> key(c.getExpression(), depth + 1);
      case ThisExpr t -> t.getTypeName().map(n -> isInnermostType(n.getIdentifier(), t) ? "this" : n.asString() + ".this")
          .orElse("this");
      case FieldAccessExpr f when f.getScope() instanceof ThisExpr t && key(t, depth + 1).equals("this") ->
          f.getNameAsString();
      case FieldAccessExpr f -> key(f.getScope(), depth + 1) + "." + f.getNameAsString();
      case MethodCallExpr m when m.getArguments().isEmpty() && m.getScope().isPresent() ->
          key(m.getScope().get(), depth + 1) + "." + m.getNameAsString() + "()";
      case NameExpr n -> alias(n, depth).orElseGet(() -> fieldKey(n));
      default -> e.toString();
    };
  }

  /**
   * A field named without qualifier, keyed as if written in full where that differs from its name:
   * {@code LOCK} is {@code Owner.LOCK} (static), and in an inner or anonymous class {@code lock} of
   * an enclosing class is {@code Outer.this.lock}, so either spelling takes and releases one lock.
   */
  private String fieldKey(NameExpr n) {
    String name = n.getNameAsString();
    Optional<ExprTyper.Decl> d = typer.declarationOf(name, n);
    if (d.isEmpty() || !(d.get() instanceof ExprTyper.Decl.Variable v) || !v.isField()
        || !(v.declarator().getParentNode().orElse(null) instanceof com.github.javaparser.ast.body.FieldDeclaration fd)
        || !(fd.getParentNode().orElse(null) instanceof com.github.javaparser.ast.body.TypeDeclaration<?> owner)) {
      return name;
    }
    if (fd.isStatic()) {
      return owner.getNameAsString() + "." + name;
    }
    return innermostType(n) == owner ? name : owner.getNameAsString() + ".this." + name;
  }

  private static Node innermostType(Node n) {
    for (Node a = n.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof com.github.javaparser.ast.body.TypeDeclaration<?>
          || (a instanceof com.github.javaparser.ast.expr.ObjectCreationExpr o && o.getAnonymousClassBody().isPresent()
              && o.getAnonymousClassBody().get().stream().anyMatch(m -> m.isAncestorOf(n)))) {
        return a;
      }
    }
    return null;
  }

  /** {@code Outer.this} written inside Outer itself (not in a class nested in it) is {@code this}. */
  private static boolean isInnermostType(String simpleName, Node at) {
    return innermostType(at) instanceof com.github.javaparser.ast.body.TypeDeclaration<?> td
        && td.getNameAsString().equals(simpleName);
  }

  /** {@code final Lock l = this.lock;} or {@code Lock r = rw.readLock();}: l and r stand for their initialiser. */
  private Optional<String> alias(NameExpr n, int depth) {
    Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
    if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Variable v && !v.isField()) {
      Optional<Expression> init = v.declarator().getInitializer();
      if (init.isPresent() && isAliasable(init.get())) {
        return Optional.of(key(init.get(), depth + 1));
      }
    }
    return Optional.empty();
  }

  private static boolean isAliasable(Expression init) {
    return switch (init) {
      case NameExpr n -> true;
      case FieldAccessExpr f -> true;
      case EnclosedExpr x -> isAliasable(x.getInner());
      case CastExpr c -> isAliasable(c.getExpression());
      case MethodCallExpr m -> m.getArguments().isEmpty() && m.getScope().isPresent()
          && (m.getNameAsString().endsWith("Lock") || m.getNameAsString().startsWith("as"));
      default -> false;
    };
  }
}
