package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypeExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.AssertStmt;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.LabeledStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.SynchronizedStmt;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.stmt.YieldStmt;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.Span;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.blocking.LockMethod;
import dev.sharedstate.lockcheck.blocking.ImmediateCaller;
import dev.sharedstate.lockcheck.locks.Held;
import dev.sharedstate.lockcheck.locks.HeldLock;
import dev.sharedstate.lockcheck.locks.LockRegion;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.SourceTypeInfo;
import dev.sharedstate.lockcheck.types.TypeUniverse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks one body (a method, constructor, initializer or lambda) statement by statement, carrying the
 * immutable set of locks that may be held ({@link Held}; {@code null} stands for "unreachable").
 * Flow-sensitive over straight-line code, if/else, loops (to a fixed point), switch, try/catch/finally,
 * labelled break/continue, return and throw. Each blocking call met with a lock held is recorded.
 */
final class BodyWalker {

  private static final int MAX_METHOD_REF_DEPTH = 1;

  private final FileAnalysis fa;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Map<String, Pending> pendingTryLocks = new HashMap<>();
  private final int methodRefDepth;
  private final List<RawFinding> redirect;
  /** Calls between the lock region and this body (0: the body holding the lock itself). */
  private final int callDepth;
  /** The parameters of the summarised method a caller passed a zero timeout ({@link ZeroArguments}). */
  private final ZeroArguments.Env zeros;

  BodyWalker(FileAnalysis fa) {
    this(fa, 0, null, 0, ZeroArguments.Env.NONE);
  }

  private BodyWalker(FileAnalysis fa, int methodRefDepth, List<RawFinding> redirect, int callDepth) {
    this(fa, methodRefDepth, redirect, callDepth, ZeroArguments.Env.NONE);
  }

  private BodyWalker(FileAnalysis fa, int methodRefDepth, List<RawFinding> redirect, int callDepth,
      ZeroArguments.Env zeros) {
    this.fa = fa;
    this.methodRefDepth = methodRefDepth;
    this.redirect = redirect;
    this.callDepth = callDepth;
    this.zeros = zeros;
  }

  /** A walker summarising a method {@code callDepth} calls below a lock region: findings go to {@code into}. */
  static BodyWalker forSummary(FileAnalysis fa, List<RawFinding> into, int callDepth) {
    return new BodyWalker(fa, 0, into, callDepth);
  }

  /** As above, for a method some of whose parameters a caller gave a zero timeout. */
  static BodyWalker forSummary(FileAnalysis fa, List<RawFinding> into, int callDepth, ZeroArguments.Env zeros) {
    return new BodyWalker(fa, 0, into, callDepth, zeros);
  }

  /** A walker for a body nested in this one (a lambda, an anonymous class run at once). */
  BodyWalker child() {
    return new BodyWalker(fa, methodRefDepth, redirect, callDepth, zeros);
  }

  private void emit(RawFinding f) {
    if (!zeros.isEmpty() && !ZeroArguments.reachable(f.at(), zeros, fa.typer)) {
      return; // on a branch only a positive timeout takes (`if (timeout == 0) selectNow(); else select(timeout)`)
    }
    if (callDepth > 0 && LazyInit.onceOnly(f.at())) {
      return; // a helper's cache filled on its first call (`if (addr == null) addr = InetAddress.getLocalHost()`)
    }
    if (redirect != null) {
      redirect.add(f);
    } else {
      fa.record(f);
    }
  }

  /** A boolean local holding a tryLock() result: the lock is held where it is true. */
  private record Pending(LockOps.Op.Acquire op, Node call) {}

  /** What a jump passes on its way out: a loop or switch to land on, a monitor, a finally block. */
  private sealed interface Frame {
    record Target(Node stmt, String label, boolean isLoop, List<Held> breaks, List<Held> continues) implements Frame {}

    record Monitor(HeldLock lock, Span release) implements Frame {}

    record Finally(BlockStmt block) implements Frame {}

    record Resource(HeldLock lock, Span release) implements Frame {}
  }

  // ---------------------------------------------------------------- statements

  void walkBody(BlockStmt body, Held start) {
    walk(body, start);
  }

  private Held walk(Statement s, Held state) {
    // unreachable code (javac rejects most): still look inside for lambdas and classes
    final Held in = state == null ? Held.NONE : state;
    return switch (s) {
      case BlockStmt b -> walkStatements(b.getStatements(), in);
      case ExpressionStmt e -> effects(e.getExpression(), in);
      case IfStmt i -> {
        Cond c = cond(i.getCondition(), in);
        Held t = walk(i.getThenStmt(), c.whenTrue());
        Held f = i.getElseStmt().isPresent() ? walk(i.getElseStmt().get(), c.whenFalse()) : c.whenFalse();
        yield Held.merge(t, f);
      }
      case SynchronizedStmt sy -> synchronizedStmt(sy, in);
      case TryStmt t -> tryStmt(t, in);
      case WhileStmt w -> loop(w, null, w.getCondition(), w.getBody(), List.of(), in, false);
      case DoStmt d -> loop(d, null, d.getCondition(), d.getBody(), List.of(), in, true);
      case ForStmt f -> {
        Held h = in;
        for (Expression init : f.getInitialization()) {
          h = effects(init, h);
        }
        yield loop(f, null, f.getCompare().orElse(null), f.getBody(), f.getUpdate(), h, false);
      }
      case ForEachStmt fe -> {
        Held h = effects(fe.getIterable(), in);
        yield loop(fe, null, null, fe.getBody(), List.of(), h, false);
      }
      case LabeledStmt l -> labeled(l, in);
      case SwitchStmt sw -> switchStmt(sw, in);
      case ReturnStmt r -> {
        r.getExpression().ifPresent(e -> scan(e, in));
        yield null;
      }
      case ThrowStmt t -> {
        scan(t.getExpression(), in);
        yield null;
      }
      case BreakStmt b -> {
        jump(b.getLabel().map(l -> l.asString()).orElse(null), false, in);
        yield null;
      }
      case ContinueStmt c -> {
        jump(c.getLabel().map(l -> l.asString()).orElse(null), true, in);
        yield null;
      }
      case YieldStmt y -> {
        scan(y.getExpression(), in);
        jump(null, false, in);
        yield null;
      }
      case LocalClassDeclarationStmt lc -> {
        fa.analyseMembers(lc.getClassDeclaration().getMembers());
        yield in;
      }
      case LocalRecordDeclarationStmt lr -> {
        fa.analyseMembers(lr.getRecordDeclaration().getMembers());
        yield in;
      }
      case ExplicitConstructorInvocationStmt ec -> {
        ec.getExpression().ifPresent(e -> scan(e, in));
        ec.getArguments().forEach(a -> scan(a, in));
        if (!in.isEmpty()) {
          Optional<BlockingMatcher.Match> m = fa.matcher.matchSuper(ec);
          if (m.isPresent()) {
            // super(host, port) of a catalogued constructor: the superclass's blocking constructor runs here
            emit(new RawFinding(ec, ec, "super(…)", m.get().method(), m.get().byNameOnly(), in.locks(), List.of()));
          } else {
            follow(ec, in); // this(...)/super(...): the other constructor runs here
          }
        }
        yield in;
      }
      case AssertStmt a -> {
        scan(a.getCheck(), in);
        a.getMessage().ifPresent(m -> scan(m, in));
        yield in;
      }
      default -> in;
    };
  }

  private Held walkStatements(NodeList<Statement> stmts, Held in) {
    Held h = in;
    for (Statement s : stmts) {
      Held out = walk(s, h);
      if (out == null && h != null) {
        h = null;
        continue;
      }
      h = out;
    }
    return h;
  }

  private Held synchronizedStmt(SynchronizedStmt sy, Held in) {
    scan(sy.getExpression(), in);
    String text = LockOps.text(sy.getExpression());
    String key = HeldLock.MONITOR + fa.lockOps.key(sy.getExpression());
    Span begin = FileAnalysis.spanOf(sy).orElse(Span.at(1, 1));
    Span exprEnd = FileAnalysis.spanOf(sy.getExpression()).orElse(begin);
    Span header = new Span(begin.line(), begin.column(), exprEnd.endLine(), exprEnd.endColumn() + 1);
    HeldLock lock = new HeldLock(new LockRegion.SynchronizedBlock(text), key, header, fa.idFor(sy));
    Span release = FileAnalysis.endBrace(sy.getBody());
    frames.push(new Frame.Monitor(lock, release));
    Held out;
    try {
      out = walk(sy.getBody(), in.plus(lock));
    } finally {
      frames.pop();
    }
    fa.released(lock, release);
    return out == null ? null : out.without(l -> l.id() == lock.id());
  }

  private Held labeled(LabeledStmt l, Held in) {
    Statement inner = l.getStatement();
    String label = l.getLabel().asString();
    return switch (inner) {
      case WhileStmt w -> loop(w, label, w.getCondition(), w.getBody(), List.of(), in, false);
      case DoStmt d -> loop(d, label, d.getCondition(), d.getBody(), List.of(), in, true);
      case ForStmt f -> {
        Held h = in;
        for (Expression init : f.getInitialization()) {
          h = effects(init, h);
        }
        yield loop(f, label, f.getCompare().orElse(null), f.getBody(), f.getUpdate(), h, false);
      }
      case ForEachStmt fe -> loop(fe, label, null, fe.getBody(), List.of(), effects(fe.getIterable(), in), false);
      default -> {
        Frame.Target t = new Frame.Target(l, label, false, new ArrayList<>(), new ArrayList<>());
        frames.push(t);
        Held out;
        try {
          out = walk(inner, in);
        } finally {
          frames.pop();
        }
        for (Held b : t.breaks()) {
          out = Held.merge(out, b);
        }
        yield out;
      }
    };
  }

  /** A loop, walked until the state at its head stops growing (at most three rounds). */
  private Held loop(Statement loop, String label, Expression condition, Statement body,
      List<Expression> update, Held in, boolean bodyFirst) {
    Held head = in;
    Held exit = null;
    List<Held> breaks = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Frame.Target t = new Frame.Target(loop, label, true, new ArrayList<>(), new ArrayList<>());
      Cond c = bodyFirst || condition == null ? new Cond(head, null) : cond(condition, head);
      if (condition == null && !(loop instanceof ForEachStmt) && !(loop instanceof ForStmt)) {
        c = new Cond(head, null);
      }
      if (loop instanceof ForEachStmt || (loop instanceof ForStmt && condition == null)) {
        c = new Cond(head, loop instanceof ForEachStmt ? head : null);
      }
      if (condition instanceof BooleanLiteralExpr b && b.getValue() && !bodyFirst) {
        c = new Cond(c.whenTrue(), null);
      }
      frames.push(t);
      Held bodyOut;
      try {
        bodyOut = walk(body, c.whenTrue());
      } finally {
        frames.pop();
      }
      Held next = bodyOut;
      for (Held h : t.continues()) {
        next = Held.merge(next, h);
      }
      if (bodyFirst && condition != null && next != null) {
        Cond after = cond(condition, next);
        exit = Held.merge(exit, after.whenFalse());
        next = after.whenTrue();
        if (condition instanceof BooleanLiteralExpr b && b.getValue()) {
          exit = null;
        }
      } else {
        exit = Held.merge(exit, c.whenFalse());
      }
      if (next != null) {
        for (Expression u : update) {
          next = effects(u, next);
        }
      }
      breaks.addAll(t.breaks());
      Held newHead = Held.merge(head, next);
      if (newHead.equals(head)) {
        break;
      }
      head = newHead;
    }
    for (Held b : breaks) {
      exit = Held.merge(exit, b);
    }
    return exit;
  }

  private Held switchStmt(SwitchStmt sw, Held in) {
    Held h = effects(sw.getSelector(), in);
    Frame.Target t = new Frame.Target(sw, null, false, new ArrayList<>(), new ArrayList<>());
    frames.push(t);
    Held out = null;
    boolean hasDefault = false;
    try {
      Held fall = null;
      for (SwitchEntry e : sw.getEntries()) {
        hasDefault |= e.isDefault() || e.getLabels().stream().anyMatch(l -> l.isNullLiteralExpr() && e.isDefault());
        for (Expression label : e.getLabels()) {
          scan(label, h);
        }
        e.getGuard().ifPresent(g -> scan(g, h));
        Held entryIn = Held.merge(h, fall);
        Held entryOut = walkStatements(e.getStatements(), entryIn);
        if (e.getType() == SwitchEntry.Type.STATEMENT_GROUP) {
          fall = entryOut;
        } else {
          out = Held.merge(out, entryOut);
          fall = null;
        }
      }
      out = Held.merge(out, fall);
    } finally {
      frames.pop();
    }
    for (Held b : t.breaks()) {
      out = Held.merge(out, b);
    }
    if (!hasDefault) {
      out = Held.merge(out, h);
    }
    return out;
  }

  private Held tryStmt(TryStmt t, Held in) {
    Held h = in;
    List<Frame> pushed = new ArrayList<>();
    java.util.IdentityHashMap<Expression, HeldLock> resourceLocks = new java.util.IdentityHashMap<>();
    // try (var guard = lock.lock()) { ... }: a lock taken by a resource is held for the try block
    for (Expression r : t.getResources()) {
      Optional<HeldLock> resourceLock = resourceLock(r, h);
      if (resourceLock.isPresent()) {
        resourceLocks.put(r, resourceLock.get());
        h = h.plus(resourceLock.get());
        Span release = FileAnalysis.endBrace(t.getTryBlock());
        Frame f = new Frame.Resource(resourceLock.get(), release);
        frames.push(f);
        pushed.add(f);
      } else {
        h = effects(r, h);
      }
    }
    if (t.getFinallyBlock().isPresent()) {
      h = assumeReleasedInFinally(t, h);
      Frame f = new Frame.Finally(t.getFinallyBlock().get());
      frames.push(f);
      pushed.add(f);
    }
    Held bodyOut;
    try {
      bodyOut = walk(t.getTryBlock(), h);
    } finally {
      for (int i = 0; i < pushed.size(); i++) {
        frames.pop();
      }
    }
    if (!t.getResources().isEmpty()) {
      implicitCloses(t, Held.merge(h, bodyOut), resourceLocks);
    }
    for (Frame f : pushed) {
      if (f instanceof Frame.Resource res) {
        fa.released(res.lock(), res.release());
        if (bodyOut != null) {
          bodyOut = bodyOut.without(l -> l.id() == res.lock().id());
        }
      }
    }
    Held atCatch = Held.merge(h, bodyOut);
    for (Frame f : pushed) {
      if (f instanceof Frame.Resource res) {
        atCatch = atCatch.without(l -> l.id() == res.lock().id());
      }
    }
    Held normal = bodyOut;
    Frame fin = t.getFinallyBlock().isPresent() ? new Frame.Finally(t.getFinallyBlock().get()) : null;
    for (CatchClause c : t.getCatchClauses()) {
      if (fin != null) {
        frames.push(fin);
      }
      try {
        normal = Held.merge(normal, walk(c.getBody(), atCatch));
      } finally {
        if (fin != null) {
          frames.pop();
        }
      }
    }
    if (t.getFinallyBlock().isEmpty()) {
      return normal;
    }
    if (normal == null) {
      walk(t.getFinallyBlock().get(), atCatch);
      return null;
    }
    // exceptional paths reach the finally too; they leave the method, so only the normal one continues
    walk(t.getFinallyBlock().get(), Held.merge(normal, atCatch));
    return walk(t.getFinallyBlock().get(), normal);
  }

  /**
   * The implicit {@code close()} of each resource at the end of a try-with-resources, last declared
   * first, before any catch or finally: a call {@code close()} on the resource's type, with the
   * locks held when the try block ends (normally or not) and the resources declared before it still
   * open. A lock resource's close releases its lock.
   */
  private void implicitCloses(TryStmt t, Held atEnd, java.util.IdentityHashMap<Expression, HeldLock> resourceLocks) {
    Held state = atEnd;
    List<Expression> resources = t.getResources();
    for (int i = resources.size() - 1; i >= 0; i--) {
      Expression r = resources.get(i);
      HeldLock lock = resourceLocks.get(r);
      if (lock != null) {
        state = state.without(l -> l.id() == lock.id());
      } else if (!state.isEmpty()) {
        implicitClose(r, state);
      }
    }
  }

  private void implicitClose(Expression resource, Held held) {
    String name;
    JType type;
    if (resource instanceof VariableDeclarationExpr v && v.getVariables().size() == 1) {
      VariableDeclarator d = v.getVariables().get(0);
      name = d.getNameAsString();
      type = d.getType() instanceof com.github.javaparser.ast.type.VarType
          ? d.getInitializer().map(fa.typer::typeOf).orElse(JType.UNKNOWN) : fa.typer.context().resolve(d.getType());
    } else if (resource instanceof NameExpr || resource instanceof com.github.javaparser.ast.expr.FieldAccessExpr) {
      name = resource.toString();
      type = fa.typer.typeOf(resource);
    } else {
      return;
    }
    if (type.dims() > 0 || (type.kind() != JType.Kind.CLASS && type.kind() != JType.Kind.UNRESOLVED)) {
      return;
    }
    String text = name + ".close()";
    List<BlockingMethod> cands = fa.matcher.candidates("close", 0);
    if (!cands.isEmpty()) {
      Optional<BlockingMatcher.Match> m = fa.matcher.matchType(type, cands, false);
      if (m.isPresent() && m.get().method().releases() == BlockingMethod.Releases.NOTHING) {
        emit(new RawFinding(resource, resource, text, m.get().method(), m.get().byNameOnly(), held.locks(), List.of()));
        return;
      }
    }
    if (type.kind() == JType.Kind.CLASS) {
      fa.follower.blockingClose(fa, resource, type, callDepth)
          .filter(c -> c.method().releases() == BlockingMethod.Releases.NOTHING)
          .ifPresent(c -> emit(new RawFinding(resource, resource, text, c.method(), c.byNameOnly(), held.locks(),
              List.of(), c)));
    }
  }

  private Optional<HeldLock> resourceLock(Expression r, Held h) {
    Expression init = r;
    if (r instanceof VariableDeclarationExpr v && v.getVariables().size() == 1) {
      init = v.getVariables().get(0).getInitializer().orElse(r);
    }
    if (init instanceof MethodCallExpr call && fa.lockOps.mayBeLockOp(call.getNameAsString())
        && fa.lockOps.classify(call) instanceof LockOps.Op.Acquire a && !a.stamped()) {
      call.getScope().ifPresent(s -> scan(s, h));
      Span at = FileAnalysis.spanOf(call).orElse(Span.at(1, 1));
      return Optional.of(new HeldLock(new LockRegion.ExplicitLock(a.lockText(), a.how()), a.key(), at, fa.idFor(call)));
    }
    if (init instanceof MethodCallExpr call && isWrapperHandle(r, call)) {
      // try (AutoLock l = state.lock()): a facade handing out its lock's handle holds that lock
      call.getScope().ifPresent(s -> scan(s, h));
      String text = call.getScope().map(LockOps::text).orElse("this");
      String key = call.getScope().map(fa.lockOps::key).orElse("this");
      Span at = FileAnalysis.spanOf(call).orElse(Span.at(1, 1));
      return Optional.of(new HeldLock(new LockRegion.ExplicitLock(text, call.getNameAsString() + "()"),
          HeldLock.LOCK + key, at, fa.idFor(call)));
    }
    return Optional.empty();
  }

  /**
   * A try-with-resources resource of a lock wrapper's type (the owner of a {@code wrapper} lock method:
   * Jetty's {@code AutoLock}), obtained from a method of another type: the project's facade over its
   * lock ({@code HttpChannelState.lock()} returns {@code _lock.lock()}). The resource is the held
   * lock's handle, so the lock is held until the try ends; it is named after the facade.
   */
  private boolean isWrapperHandle(Expression resource, MethodCallExpr call) {
    if (!call.getNameAsString().startsWith("lock") && !call.getNameAsString().startsWith("tryLock")) {
      return false;
    }
    JType t = fa.typer.typeOf(call);
    if (t.kind() != JType.Kind.CLASS && resource instanceof VariableDeclarationExpr v && v.getVariables().size() == 1
        && !v.getElementType().isVarType()) {
      t = fa.typer.context().resolve(v.getElementType());
    }
    if (t.kind() != JType.Kind.CLASS || t.dims() > 0) {
      return false;
    }
    for (LockMethod m : fa.catalogue.lockMethods()) {
      if (m.kind() == LockMethod.Kind.WRAPPER && m.owner() != null && fa.typer.isSubtype(t, m.owner())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Error Prone's heuristic: a lock released in the finally but not taken in the try (or before it,
   * as far as this body shows) is assumed held for the whole try (taken in a helper, typically).
   */
  private Held assumeReleasedInFinally(TryStmt t, Held h) {
    BlockStmt fin = t.getFinallyBlock().get();
    Held out = h;
    for (MethodCallExpr call : fin.findAll(MethodCallExpr.class)) {
      if (!fa.lockOps.mayBeLockOp(call.getNameAsString()) || !call.getNameAsString().equals("unlock")) {
        continue;
      }
      if (!(fa.lockOps.classify(call) instanceof LockOps.Op.Release rel) || !rel.key().startsWith(HeldLock.LOCK)) {
        continue;
      }
      if (out.holds(rel.key()) || takenIn(t.getTryBlock(), rel.key()) || takenBefore(t, rel.key())) {
        continue;
      }
      Span tryKw = FileAnalysis.spanOf(t).map(s -> new Span(s.line(), s.column(), s.line(), s.column() + 2))
          .orElse(Span.at(1, 1));
      String text = call.getScope().map(LockOps::text).orElse("lock");
      out = out.plus(new HeldLock(new LockRegion.AssumedFromFinally(text), rel.key(), tryKw, fa.idFor(call)));
    }
    return out;
  }

  private boolean takenIn(Node n, String key) {
    for (MethodCallExpr c : n.findAll(MethodCallExpr.class)) {
      if (fa.lockOps.mayBeLockOp(c.getNameAsString()) && fa.lockOps.classify(c) instanceof LockOps.Op.Acquire a
          && a.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Taken earlier in the enclosing body on some path we did not see as holding (e.g. a released branch). */
  private boolean takenBefore(TryStmt t, String key) {
    Node body = t;
    for (Node a = t.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof MethodDeclaration || a instanceof LambdaExpr || a instanceof TypeDeclaration<?>) {
        break;
      }
      body = a;
    }
    int tryLine = t.getBegin().map(p -> p.line).orElse(0);
    for (MethodCallExpr c : body.findAll(MethodCallExpr.class)) {
      if (c.getBegin().map(p -> p.line).orElse(0) <= tryLine && fa.lockOps.mayBeLockOp(c.getNameAsString())
          && fa.lockOps.classify(c) instanceof LockOps.Op.Acquire a && a.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** break/continue/yield: the state leaves through monitors and finally blocks to its target. */
  private void jump(String label, boolean isContinue, Held state) {
    Held h = state;
    List<Frame> passed = new ArrayList<>();
    for (Frame f : new ArrayList<>(frames)) {
      if (f instanceof Frame.Target t) {
        boolean hit = label != null ? label.equals(t.label()) : (isContinue ? t.isLoop() : true);
        if (hit) {
          if (isContinue) {
            t.continues().add(h);
          } else {
            t.breaks().add(h);
          }
          return;
        }
        continue;
      }
      passed.add(f);
      switch (f) {
        case Frame.Monitor m -> h = h.without(l -> l.id() == m.lock().id());
        case Frame.Resource r -> h = h.without(l -> l.id() == r.lock().id());
        case Frame.Finally fin -> {
          // run the finally with the frames outside it (it cannot jump back into this one)
          Deque<Frame> saved = new ArrayDeque<>(frames);
          while (!frames.isEmpty() && frames.peek() != fin) {
            frames.pop();
          }
          if (!frames.isEmpty()) {
            frames.pop();
          }
          Held after;
          try {
            after = walk(fin.block(), h);
          } finally {
            frames.clear();
            frames.addAll(saved);
          }
          if (after == null) {
            return; // the finally itself jumps or throws: the break never arrives
          }
          h = after;
        }
        default -> { }
      }
    }
  }

  // ---------------------------------------------------------------- conditions

  private record Cond(Held whenTrue, Held whenFalse) {}

  private Cond cond(Expression c, Held in) {
    switch (c) {
      case EnclosedExpr e -> {
        return cond(e.getInner(), in);
      }
      case UnaryExpr u when u.getOperator() == UnaryExpr.Operator.LOGICAL_COMPLEMENT -> {
        Cond inner = cond(u.getExpression(), in);
        return new Cond(inner.whenFalse(), inner.whenTrue());
      }
      case BinaryExpr b when b.getOperator() == BinaryExpr.Operator.AND -> {
        Cond l = cond(b.getLeft(), in);
        Cond r = cond(b.getRight(), l.whenTrue() == null ? Held.NONE : l.whenTrue());
        return new Cond(l.whenTrue() == null ? null : r.whenTrue(), Held.merge(l.whenFalse(), l.whenTrue() == null ? null : r.whenFalse()));
      }
      case BinaryExpr b when b.getOperator() == BinaryExpr.Operator.OR -> {
        Cond l = cond(b.getLeft(), in);
        Cond r = cond(b.getRight(), l.whenFalse() == null ? Held.NONE : l.whenFalse());
        return new Cond(Held.merge(l.whenTrue(), l.whenFalse() == null ? null : r.whenTrue()), l.whenFalse() == null ? null : r.whenFalse());
      }
      case BinaryExpr b when (b.getOperator() == BinaryExpr.Operator.EQUALS || b.getOperator() == BinaryExpr.Operator.NOT_EQUALS)
          && (b.getRight() instanceof BooleanLiteralExpr || b.getLeft() instanceof BooleanLiteralExpr) -> {
        boolean rightLit = b.getRight() instanceof BooleanLiteralExpr;
        Expression other = rightLit ? b.getLeft() : b.getRight();
        boolean lit = ((BooleanLiteralExpr) (rightLit ? b.getRight() : b.getLeft())).getValue();
        Cond inner = cond(other, in);
        boolean same = lit == (b.getOperator() == BinaryExpr.Operator.EQUALS);
        return same ? inner : new Cond(inner.whenFalse(), inner.whenTrue());
      }
      case BooleanLiteralExpr b -> {
        return b.getValue() ? new Cond(in, null) : new Cond(null, in);
      }
      case NameExpr n when pendingTryLocks.containsKey(n.getNameAsString()) -> {
        Pending p = pendingTryLocks.get(n.getNameAsString());
        return new Cond(in.plus(acquisition(p.op(), p.call())), in);
      }
      case MethodCallExpr m when fa.lockOps.mayBeLockOp(m.getNameAsString()) -> {
        LockOps.Op op = fa.lockOps.classify(m);
        if (op instanceof LockOps.Op.Acquire a && a.conditional()) {
          scanCallParts(m, in);
          return new Cond(in.plus(acquisition(a, m)), in);
        }
        Held out = effects(c, in);
        return new Cond(out, out);
      }
      default -> {
        Held out = effects(c, in);
        return new Cond(out, out);
      }
    }
  }

  private HeldLock acquisition(LockOps.Op.Acquire a, Node call) {
    Span at = FileAnalysis.spanOf(call).orElse(Span.at(1, 1));
    LockRegion region = a.stamped()
        ? new LockRegion.StampedLockStamp(a.lockText(), a.mode(), stampName(call))
        : new LockRegion.ExplicitLock(a.lockText(), a.how());
    return new HeldLock(region, a.key(), at, fa.idFor(call));
  }

  private static String stampName(Node call) {
    Node p = call.getParentNode().orElse(null);
    if (p instanceof VariableDeclarator v) {
      return v.getNameAsString();
    }
    if (p instanceof AssignExpr a) {
      return a.getTarget().toString();
    }
    return "";
  }

  // ---------------------------------------------------------------- expressions

  /** An expression evaluated for its effect on the held set (lock ops at the top), scanning inside. */
  private Held effects(Expression e, Held in) {
    switch (e) {
      case MethodCallExpr m when fa.lockOps.mayBeLockOp(m.getNameAsString()) -> {
        LockOps.Op op = fa.lockOps.classify(m);
        scanCallParts(m, in);
        return apply(op, m, in);
      }
      case VariableDeclarationExpr v -> {
        Held h = in;
        for (VariableDeclarator d : v.getVariables()) {
          if (d.getInitializer().isPresent()) {
            h = assigned(d.getNameAsString(), d.getInitializer().get(), h);
          }
        }
        return h;
      }
      case AssignExpr a when a.getOperator() == AssignExpr.Operator.ASSIGN && a.getTarget() instanceof NameExpr n -> {
        return assigned(n.getNameAsString(), a.getValue(), in);
      }
      case EnclosedExpr x -> {
        return effects(x.getInner(), in);
      }
      default -> {
        scan(e, in);
        return in;
      }
    }
  }

  private Held assigned(String var, Expression value, Held in) {
    Expression v = value;
    while (v instanceof EnclosedExpr x) {
      v = x.getInner();
    }
    if (v instanceof MethodCallExpr m && fa.lockOps.mayBeLockOp(m.getNameAsString())) {
      LockOps.Op op = fa.lockOps.classify(m);
      scanCallParts(m, in);
      if (op instanceof LockOps.Op.Acquire a && a.conditional()) {
        pendingTryLocks.put(var, new Pending(a, m));
        return in;
      }
      return apply(op, m, in);
    }
    pendingTryLocks.remove(var);
    scan(value, in);
    return in;
  }

  private Held apply(LockOps.Op op, MethodCallExpr m, Held in) {
    return switch (op) {
      case LockOps.Op.Acquire a -> {
        checkCall(m, in);
        yield in.plus(acquisition(a, m));
      }
      case LockOps.Op.Release r -> {
        Span at = FileAnalysis.spanOf(m).orElse(Span.at(1, 1));
        List<HeldLock> matching = in.withKey(r.key());
        if (matching.isEmpty() && r.key().startsWith(HeldLock.STAMPED)) {
          // unlock(stamp) on a lock we saw taken under another key form: release by lock only
          yield in;
        }
        if (matching.isEmpty() && in.holds(CallFollower.CALLERS_KEY)) {
          // a helper unlocking a lock it did not take (inside-out unlocking): assume it is the caller's
          yield in.without(l -> l.id() == CallFollower.CALLERS_LOCK_ID);
        }
        for (HeldLock l : matching) {
          fa.released(l, at);
        }
        yield in.minusLatest(r.key());
      }
      case LockOps.Op.None n -> {
        checkCall(m, in);
        yield in;
      }
    };
  }

  private void scanCallParts(MethodCallExpr m, Held in) {
    m.getScope().ifPresent(s -> scan(s, in));
    for (Expression a : m.getArguments()) {
      scan(a, in);
    }
  }

  /** Scans an expression for blocking calls and for the bodies it contains (lambdas, classes). */
  void scan(Expression e, Held held) {
    switch (e) {
      case MethodCallExpr call -> {
        call.getScope().ifPresent(s -> scan(s, held));
        boolean hasFunctionArg = false;
        for (Expression a : call.getArguments()) {
          if (a instanceof LambdaExpr || a instanceof MethodReferenceExpr || isAnonymousClass(a)) {
            hasFunctionArg = true;
          } else {
            scan(a, held);
          }
        }
        if (hasFunctionArg) {
          Held immediate = !held.isEmpty() && isImmediate(call) ? held : Held.NONE;
          HeldLock bin = mapBinLock(call);
          Expression last = call.getArguments().getLast().orElse(null);
          for (Expression a : call.getArguments()) {
            // ConcurrentHashMap.compute & co. run their function (the last argument) under a bin lock
            Held forFunctions = bin != null && a == last ? held.plus(bin) : immediate;
            if (a instanceof LambdaExpr l) {
              lambda(l, forFunctions);
            } else if (a instanceof MethodReferenceExpr r && !forFunctions.isEmpty()) {
              methodReference(r, call, forFunctions);
            } else if (a instanceof ObjectCreationExpr o && isAnonymousClass(o)) {
              // new Consumer<>() { ... } passed to forEach runs like a lambda would
              o.getScope().ifPresent(sc -> scan(sc, held));
              o.getArguments().forEach(x -> scan(x, held));
              fa.analyseMembersUnder(o.getAnonymousClassBody().get(), forFunctions, this::child);
            }
          }
          if (bin != null) {
            fa.released(bin, FileAnalysis.endBrace(call));
          }
        }
        checkCall(call, held);
      }
      case LambdaExpr l -> lambda(l, Held.NONE); // stored, returned or passed to a constructor: runs later
      case MethodReferenceExpr r -> { }
      case ObjectCreationExpr o -> {
        o.getScope().ifPresent(s -> scan(s, held));
        for (Expression a : o.getArguments()) {
          scan(a, held);
        }
        o.getAnonymousClassBody().ifPresent(fa::analyseMembers);
        if (!held.isEmpty() && !checkNew(o, held)) {
          follow(o, held);
        }
      }
      case SwitchExpr sw -> {
        scan(sw.getSelector(), held);
        Frame.Target t = new Frame.Target(sw, null, false, new ArrayList<>(), new ArrayList<>());
        frames.push(t);
        try {
          for (SwitchEntry entry : sw.getEntries()) {
            entry.getGuard().ifPresent(g -> scan(g, held));
            walkStatements(entry.getStatements(), held);
          }
        } finally {
          frames.pop();
        }
      }
      case ConditionalExpr c -> {
        Cond k = cond(c.getCondition(), held);
        scan(c.getThenExpr(), k.whenTrue() == null ? held : k.whenTrue());
        scan(c.getElseExpr(), k.whenFalse() == null ? held : k.whenFalse());
      }
      default -> {
        for (Node child : e.getChildNodes()) {
          if (child instanceof Expression x) {
            scan(x, held);
          } else if (child instanceof VariableDeclarator d) {
            d.getInitializer().ifPresent(i -> scan(i, held));
          }
        }
      }
    }
  }

  private static boolean isAnonymousClass(Expression e) {
    return e instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent();
  }

  private void lambda(LambdaExpr l, Held held) {
    BodyWalker inner = child();
    Statement body = l.getBody();
    if (body instanceof ExpressionStmt es) {
      inner.effects(es.getExpression(), held);
    } else {
      inner.walk(body, held);
    }
  }

  /** Does this call run the lambda passed to it before it returns? (the catalogue's immediate callers) */
  private boolean isImmediate(MethodCallExpr call) {
    String name = call.getNameAsString();
    JType receiver = null;
    boolean anyNamed = false;
    for (ImmediateCaller ic : fa.catalogue.immediateCallers()) {
      if (!ic.method().equals(name) && !ic.method().equals("*")) {
        continue;
      }
      anyNamed = true;
      if (ic.owner() == null) {
        return true;
      }
      if (receiver == null) {
        receiver = fa.typer.receiverType(call);
      }
      if (receiver.kind() == JType.Kind.CLASS && fa.typer.isSubtype(receiver, ic.owner())) {
        return true;
      }
    }
    if (!fa.catalogue.immediateByName(name)) {
      return false;
    }
    if (receiver == null && anyNamed) {
      receiver = fa.typer.receiverType(call);
    }
    return receiver == null || receiver.kind() != JType.Kind.CLASS;
  }

  // ---------------------------------------------------------------- findings

  private void checkCall(MethodCallExpr call, Held held) {
    if (held.isEmpty()) {
      return;
    }
    if (fa.matcher.candidates(call.getNameAsString(), call.getArguments().size()).isEmpty()) {
      if (!streamOperation(call, held) && !storedFunction(call, held)) {
        follow(call, held);
      }
      return;
    }
    Optional<BlockingMatcher.Match> match = fa.matcher.match(call);
    if (match.isEmpty()) {
      if (!streamOperation(call, held) && !storedFunction(call, held)) {
        follow(call, held);
      }
      return;
    }
    BlockingMethod m = match.get().method();
    if (fa.queues.neverBlocks(call, m, fa)) {
      return; // an insertion into a queue that cannot be full
    }
    if (ZeroTimeout.waitsNot(call, m, fa.typer, zeros) || TestDoubles.onDouble(call, fa)) {
      return; // poll(0, unit) returns at once; a Mockito mock's flush() runs no real code
    }
    if (LocalUrls.local(call, m, fa)) {
      return; // getClass().getResource(name).openStream() reads a jar or a file, not the network
    }
    if (completedBefore(call, m)) {
      return; // f.get() where f.isDone() was just seen true
    }
    String released = switch (m.releases()) {
      case NOTHING -> null;
      case RECEIVER_MONITOR -> HeldLock.MONITOR + call.getScope().map(fa.lockOps::key).orElse("this");
      case ARGUMENT_MONITOR -> call.getArguments().isEmpty() ? null
          : HeldLock.MONITOR + fa.lockOps.key(call.getArgument(0));
      case CONDITION_LOCK -> conditionOwner(call, held);
    };
    Held effective = released == null ? held : held.without(l -> l.key().equals(released));
    if (effective.isEmpty()) {
      if (redirect == null) {
        // wait() on the only monitor held: not this rule's finding, but it pins a virtual thread (JDK 21-23)
        fa.waitedUnderMonitor(new RawFinding(call, call, callText(call), m, match.get().byNameOnly(), held.locks(), List.of()));
      }
      return;
    }
    // in a helper's summary, name the lock the wait releases so that callers can tell if it is theirs
    WaitKey key = redirect != null && released != null ? WaitKey.at(released, call, fa, held) : null;
    emit(new RawFinding(call, call, callText(call), m, match.get().byNameOnly(), effective.locks(), List.of(), null,
        key));
  }

  private static final java.util.Set<String> COMPLETION_TESTS = java.util.Set.of(
      "isDone", "isCompletedNormally", "isCompletedExceptionally");

  /**
   * A future's {@code get()}/{@code join()} where the code has just seen it complete: the call is in
   * the branch where {@code f.isDone()} (or {@code isCompletedNormally()}, {@code
   * isCompletedExceptionally()}) on the same receiver is true: {@code if (f.isDone()) f.get()},
   * {@code f.isDone() && f.join() != null}, {@code f.isDone() ? f.get() : null}. A completed future
   * returns at once (Future.get's Javadoc: "Waits if necessary for the computation to complete").
   */
  private boolean completedBefore(MethodCallExpr call, BlockingMethod m) {
    if (call.getScope().isEmpty() || !(m.method().equals("get") || m.method().equals("join"))
        || !fa.typer.isSubtype(JType.of(m.owner()), "java.util.concurrent.Future")) {
      return false;
    }
    String receiver = fa.lockOps.key(call.getScope().get());
    Node child = call;
    for (Node a = call.getParentNode().orElse(null); a != null; child = a, a = a.getParentNode().orElse(null)) {
      Expression test = null;
      if (a instanceof IfStmt i && child == i.getThenStmt()) {
        test = i.getCondition();
      } else if (a instanceof ConditionalExpr c && child == c.getThenExpr()) {
        test = c.getCondition();
      } else if (a instanceof BinaryExpr b && b.getOperator() == BinaryExpr.Operator.AND && child == b.getRight()) {
        test = b.getLeft();
      }
      if (test != null && testsCompletion(test, receiver)) {
        return true;
      }
      if (a instanceof com.github.javaparser.ast.body.CallableDeclaration<?> || a instanceof LambdaExpr) {
        return false;
      }
    }
    return false;
  }

  /** The condition is true only when the future {@code receiver} is done (a conjunction with that test). */
  private boolean testsCompletion(Expression test, String receiver) {
    return switch (test) {
      case EnclosedExpr e -> testsCompletion(e.getInner(), receiver);
      case BinaryExpr b when b.getOperator() == BinaryExpr.Operator.AND ->
          testsCompletion(b.getLeft(), receiver) || testsCompletion(b.getRight(), receiver);
      case MethodCallExpr mc -> COMPLETION_TESTS.contains(mc.getNameAsString()) && mc.getArguments().isEmpty()
          && mc.getScope().isPresent() && fa.lockOps.key(mc.getScope().get()).equals(receiver);
      default -> false;
    };
  }

  /**
   * {@code task.run()} on a variable or field of a functional interface type whose every value is a
   * lambda, a method reference or an anonymous class written in this file ({@link Origins}): their
   * body runs here, under the locks held here, wherever it was written (issue 12, family 6). Reported
   * at the call when every one of them blocks (as for implementations of an abstract method).
   */
  private boolean storedFunction(MethodCallExpr call, Held held) {
    if (methodRefDepth >= MAX_METHOD_REF_DEPTH || call.getScope().isEmpty()
        || !(call.getScope().get() instanceof NameExpr || call.getScope().get() instanceof com.github.javaparser.ast.expr.FieldAccessExpr)) {
      return false;
    }
    JType type = fa.typer.receiverType(call);
    if (type.kind() != JType.Kind.CLASS || type.dims() > 0) {
      return false;
    }
    Optional<dev.sharedstate.lockcheck.types.TypeInfo.MethodSig> sam = fa.typer.context().lookup(type.name())
        .flatMap(dev.sharedstate.lockcheck.types.TypeInfo::singleAbstractMethod);
    if (sam.isEmpty() || !sam.get().name().equals(call.getNameAsString())) {
      return false;
    }
    List<Origins.Value> values = fa.origins.of(call.getScope().get(), fa.typer, fa.file());
    if (values.isEmpty()) {
      return false;
    }
    RawFinding first = null;
    Node firstValue = null;
    for (Origins.Value v : values) {
      Expression e = v.expr();
      boolean function = e instanceof LambdaExpr || e instanceof MethodReferenceExpr
          || (e instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent());
      if (!function || !v.file().equals(fa.file())) {
        return false; // a value not known here: not followed
      }
      FileAnalysis where = v.typer().context() == fa.typer.context() ? fa : fa.alsoParsedAs(v.typer().context());
      List<RawFinding> inner = new ArrayList<>();
      BodyWalker w = new BodyWalker(where, methodRefDepth + 1, inner, callDepth);
      switch (e) {
        case LambdaExpr l -> w.lambda(l, held);
        case MethodReferenceExpr r -> w.methodReference(r, call, held);
        case ObjectCreationExpr o -> {
          for (var m : o.getAnonymousClassBody().get()) {
            if (m instanceof MethodDeclaration md && md.getNameAsString().equals(call.getNameAsString())
                && md.getBody().isPresent()) {
              where.analyseMethod(md, held, w);
            }
          }
        }
        default -> { }
      }
      RawFinding blocking = inner.stream()
          .filter(f -> f.method().releases() == BlockingMethod.Releases.NOTHING)
          .filter(f -> f.locks().stream().anyMatch(l -> held.locks().stream().anyMatch(h -> h.id() == l.id())))
          .findFirst().orElse(null);
      if (blocking == null) {
        return false; // this value does not block: the call may not
      }
      if (first == null) {
        first = blocking;
        firstValue = e;
      }
    }
    RawFinding f = first;
    Span inside = FileAnalysis.spanOf(f.blockingCall()).orElse(Span.at(1, 1));
    int defined = firstValue.getBegin().map(p -> p.line).orElse(0);
    String what = "the " + describe(firstValue) + " it runs (line " + defined + ")";
    Finding.Via via = new Finding.Via(f.blockingCall() == firstValue ? what + " blocks"
        : what + " calls `" + f.callText() + "`", inside);
    emit(new RawFinding(call, f.chain() == null ? f.blockingCall() : call, callText(call), f.method(), f.byNameOnly(),
        held.locks(), List.of(via), f.chain() == null ? null
            : f.chain().calledFrom(describe(firstValue), f.callText(), fa.file(), inside)));
    return true;
  }

  private static String describe(Node function) {
    return switch (function) {
      case LambdaExpr l -> "lambda";
      case MethodReferenceExpr r -> "method reference `" + r + "`";
      default -> "anonymous class";
    };
  }

  /**
   * A read or write on a stream, reader, writer or channel whose value comes from a socket, a process,
   * a pipe, the console or a synchronously written file ({@link StreamOrigins}): recorded as blocking.
   */
  private boolean streamOperation(MethodCallExpr call, Held held) {
    if (!fa.streams.isOperation(call.getNameAsString())) {
      return false;
    }
    // a parameter's origin is read at its call sites only in the method's own walk, under its own lock:
    // a summary for its callers would carry one call site's stream to all of them (a snapshot to a
    // file would block as the follower's socket does)
    boolean ownWalk = held.locks().stream().noneMatch(l -> l.id() == CallFollower.CALLERS_LOCK_ID);
    Optional<BlockingMethod> m = fa.streams.match(call, fa, ownWalk && !held.locks().isEmpty());
    if (m.isEmpty()) {
      return false;
    }
    emit(new RawFinding(call, call, callText(call), m.get(), false, held.locks(), List.of()));
    return true;
  }

  /**
   * A call (or {@code new}) of the analysed sources' code made with locks held: does it block inside?
   * A chain that ends in a wait releases one lock: the locks it leaves held are the finding's (issue
   * 12, family 4: a helper awaiting a condition of its own lock keeps every lock of its caller's).
   */
  private void follow(Node call, Held held) {
    Map<Integer, ZeroArguments.Kind> zeroArgs = ZeroArguments.arguments(call, zeros, fa.typer);
    Optional<CallChain> found = fa.follower.blockingCallee(fa, call, callDepth, zeroArgs);
    if (found.isEmpty()) {
      return;
    }
    CallChain chain = found.get();
    String text = switch (call) {
      case MethodCallExpr m -> callText(m);
      case ObjectCreationExpr o -> newText(o);
      case ExplicitConstructorInvocationStmt e -> (e.isThis() ? "this" : "super") + (e.getArguments().isEmpty() ? "()" : "(…)");
      default -> call.toString();
    };
    if (chain.method().releases() == BlockingMethod.Releases.NOTHING) {
      emit(new RawFinding(call, call, text, chain.method(), chain.byNameOnly(), held.locks(), List.of(), chain));
      return;
    }
    WaitKey rebased = chain.waitKey() == null ? null : chain.waitKey().calledFrom(call, fa);
    boolean heldHere = rebased != null && held.locks().stream()
        .anyMatch(l -> l.key().equals(rebased.key()) && l.id() != CallFollower.CALLERS_LOCK_ID);
    // in a summary: this method holds the lock the wait releases, so for its callers it is the helper's own
    WaitKey k = heldHere && redirect != null ? rebased.owned() : rebased;
    boolean nameable = k != null && k.kind() != WaitKey.Kind.UNKNOWN;
    Held effective = !nameable || k.kind() == WaitKey.Kind.LOCAL ? held : held.without(l -> l.key().equals(k.key()));
    if (redirect != null) {
      emit(new RawFinding(call, call, text, chain.method(), chain.byNameOnly(), effective.locks(), List.of(), chain,
          k));
      return;
    }
    boolean resolved = nameable && !effective.isEmpty() && (k.own() || held.holds(k.key()))
        && !(k.kind() == WaitKey.Kind.LOCAL && !k.own());
    // resolved: a lock-held finding for the locks the wait leaves held; else pinning only, as before
    emit(new RawFinding(call, call, text, chain.method(), chain.byNameOnly(),
        resolved ? effective.locks() : held.locks(), List.of(), chain, resolved ? k : null));
  }

  /**
   * {@code new X(..)} of a catalogued constructor ({@code "method": "new"}: {@code new Socket(host,
   * port)} connects) with locks held: reported as a blocking call; true when it was.
   */
  private boolean checkNew(ObjectCreationExpr o, Held held) {
    Optional<BlockingMatcher.Match> m = fa.matcher.matchNew(o);
    if (m.isEmpty()) {
      Optional<BlockingMethod> reader = fa.streams.matchNew(o, fa);
      if (reader.isEmpty()) {
        return false;
      }
      emit(new RawFinding(o, o, newText(o), reader.get(), false, held.locks(), List.of()));
      return true;
    }
    emit(new RawFinding(o, o, newText(o), m.get().method(), m.get().byNameOnly(), held.locks(), List.of()));
    return true;
  }

  private static String newText(ObjectCreationExpr o) {
    String s = o.toString();
    return s.length() <= 60 && s.indexOf('\n') < 0 ? s : "new " + o.getType().asString() + "(…)";
  }

  private static final java.util.Set<String> MAP_COMPUTE = java.util.Set.of(
      "compute", "computeIfAbsent", "computeIfPresent", "merge");
  private static final String CHM = "java.util.concurrent.ConcurrentHashMap";

  /**
   * The bin lock a {@code ConcurrentHashMap} (static type, or a variable initialised with one) holds
   * while it runs the function of {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent}
   * or {@code merge}; null for any other call.
   */
  private HeldLock mapBinLock(MethodCallExpr call) {
    String name = call.getNameAsString();
    if (!MAP_COMPUTE.contains(name) || call.getArguments().size() != (name.equals("merge") ? 3 : 2)) {
      return null;
    }
    JType receiver = fa.typer.receiverType(call);
    boolean chm = fa.typer.isSubtype(receiver, CHM)
        || call.getScope().map(this::initialisedWithConcurrentHashMap).orElse(false);
    if (!chm) {
      return null;
    }
    String text = call.getScope().map(LockOps::text).orElse("this");
    String key = "bin:" + call.getScope().map(fa.lockOps::key).orElse("this");
    Span at = FileAnalysis.spanOf(call.getName()).orElse(FileAnalysis.spanOf(call).orElse(Span.at(1, 1)));
    return new HeldLock(new LockRegion.MapBinLock(text, name), key, at, fa.idFor(call));
  }

  /** {@code ConcurrentMap<K, V> cache = new ConcurrentHashMap<>()}: a field or local seen initialised. */
  private boolean initialisedWithConcurrentHashMap(Expression scope) {
    String name = scope instanceof NameExpr n ? n.getNameAsString()
        : scope instanceof com.github.javaparser.ast.expr.FieldAccessExpr f && f.getScope() instanceof ThisExpr
            ? f.getNameAsString() : null;
    if (name == null) {
      return false;
    }
    Optional<ExprTyper.Decl> d = fa.typer.declarationOf(name, scope);
    if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Variable v
        && v.declarator().getInitializer().orElse(null) instanceof ObjectCreationExpr o) {
      return fa.typer.isSubtype(fa.typer.context().resolve(o.getType()), CHM);
    }
    return false;
  }

  /** The lock a Condition.await releases: the one whose newCondition() made it, if visible. */
  /** The key of the lock a Condition.await releases: the one whose newCondition() made it, if visible. */
  private String conditionOwner(MethodCallExpr call, Held held) {
    Optional<String> owner = call.getScope().flatMap(this::conditionOwnerKey);
    if (owner.isPresent()) {
      String key = owner.get();
      if (held.holds(key)) {
        return key;
      }
    }
    // unknown owner: assume the most recently taken explicit lock (never a monitor)
    HeldLock latest = null;
    for (HeldLock l : held.locks()) {
      if (!l.isMonitor()) {
        latest = l;
      }
    }
    return latest == null ? null : latest.key();
  }

  private Optional<String> conditionOwnerKey(Expression condition) {
    Expression c = condition;
    while (c instanceof EnclosedExpr x) {
      c = x.getInner();
    }
    Optional<String> inline = newConditionKey(c);
    if (inline.isPresent()) {
      return inline;
    }
    String name;
    if (c instanceof NameExpr n) {
      name = n.getNameAsString();
      Optional<ExprTyper.Decl> d = fa.typer.declarationOf(name, n);
      if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Variable v) {
        Optional<String> k = newConditionKey(v.declarator().getInitializer().orElse(null));
        if (k.isPresent()) {
          return k;
        }
        if (!v.isField()) {
          return Optional.empty();
        }
      }
    } else if (c instanceof com.github.javaparser.ast.expr.FieldAccessExpr f && f.getScope() instanceof ThisExpr) {
      name = f.getNameAsString();
    } else {
      return Optional.empty();
    }
    // a field assigned in a constructor: this.notEmpty = lock.newCondition();
    Node type = null;
    for (Node a = condition.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?>) {
        type = a;
        break;
      }
    }
    if (type == null) {
      return Optional.empty();
    }
    for (AssignExpr a : type.findAll(AssignExpr.class)) {
      Expression target = a.getTarget();
      String tn = target instanceof NameExpr n ? n.getNameAsString()
          : target instanceof com.github.javaparser.ast.expr.FieldAccessExpr f ? f.getNameAsString() : null;
      if (name.equals(tn)) {
        Optional<String> k = newConditionKey(a.getValue());
        if (k.isPresent()) {
          return k;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> newConditionKey(Expression init) {
    if (init instanceof MethodCallExpr m && m.getNameAsString().equals("newCondition") && m.getScope().isPresent()) {
      return Optional.of(HeldLock.LOCK + fa.lockOps.key(m.getScope().get()));
    }
    return Optional.empty();
  }

  /**
   * A method reference passed to an immediate caller under a lock: a catalogued blocking method
   * ({@code CompletableFuture::join}) is a finding at the reference; a method of this file's enclosing
   * classes ({@code this::fetch}) has its body walked as if called here, one level deep.
   */
  private void methodReference(MethodReferenceExpr r, MethodCallExpr caller, Held held) {
    String name = r.getIdentifier();
    Expression scope = r.getScope();
    List<BlockingMethod> named = fa.catalogue.blockingNamed(name);
    if (!named.isEmpty()) {
      boolean unbound = scope instanceof TypeExpr;
      JType receiver;
      Optional<ExprTyper.Decl> variable = Optional.empty();
      if (scope instanceof TypeExpr te && te.getType() instanceof com.github.javaparser.ast.type.ClassOrInterfaceType ct
          && ct.getScope().isEmpty() && ct.getTypeArguments().isEmpty()) {
        // `f::join` parses as a type name; it is a variable when one of that name is in scope
        variable = fa.typer.declarationOf(ct.getNameAsString(), r);
      }
      if (variable.isPresent()) {
        unbound = false;
        receiver = fa.typer.typeOf(variable.get());
      } else {
        receiver = unbound ? fa.typer.context().resolve(((TypeExpr) scope).getType()) : fa.typer.scopeType(scope);
      }
      int functionArity = functionArity(r, caller);
      List<BlockingMethod> cands = new ArrayList<>();
      for (BlockingMethod m : named) {
        if (functionArity < 0) {
          if (m.arities().isEmpty() || m.arities().contains(0)) {
            cands.add(m);
          }
        } else {
          // Type::m called with (receiver, args...) when m is an instance method
          if (m.acceptsArity(functionArity) || (unbound && m.acceptsArity(functionArity - 1))) {
            cands.add(m);
          }
        }
      }
      Optional<BlockingMatcher.Match> match = fa.matcher.matchType(receiver, cands, false);
      if (match.isPresent() && match.get().method().releases() == BlockingMethod.Releases.NOTHING) {
        emit(new RawFinding(r, r, r.toString(), match.get().method(), match.get().byNameOnly(), held.locks(), List.of()));
        return;
      }
    }
    if (methodRefDepth >= MAX_METHOD_REF_DEPTH) {
      return;
    }
    List<MethodDeclaration> local = localTargets(r);
    if (local.isEmpty() && !(scope instanceof SuperExpr) && !(scope instanceof ThisExpr)) {
      // loader::load, Loader::load: another class's method, followed like a call
      fa.follower.blockingReference(fa, r, callDepth).ifPresent(chain -> emit(new RawFinding(r, r, r.toString(),
          chain.method(), chain.byNameOnly(), held.locks(), List.of(), chain)));
      return;
    }
    for (MethodDeclaration target : local) {
      List<RawFinding> inner = new ArrayList<>();
      BodyWalker w = new BodyWalker(fa, methodRefDepth + 1, inner, callDepth, zeros);
      // the target's own monitor (if synchronized) counts, but the finding is about the caller's locks
      fa.analyseMethod(target, held, w);
      for (RawFinding f : inner) {
        List<HeldLock> callerLocks = f.locks().stream().filter(l -> held.locks().stream().anyMatch(h -> h.id() == l.id())).toList();
        if (callerLocks.isEmpty()) {
          continue;
        }
        Span inside = FileAnalysis.spanOf(f.blockingCall()).orElse(Span.at(1, 1));
        Finding.Via via = new Finding.Via("`" + target.getNameAsString() + "` calls `" + f.callText() + "` at line "
            + inside.line(), inside);
        CallChain chain = f.chain() == null ? null
            : f.chain().calledFrom(target.getNameAsString() + "()", f.callText(), fa.file(), inside);
        emit(new RawFinding(r, chain == null ? f.blockingCall() : r, r.toString(), f.method(), f.byNameOnly(),
            callerLocks, List.of(via), chain));
      }
    }
  }

  private int functionArity(MethodReferenceExpr r, MethodCallExpr caller) {
    int index = -1;
    for (int i = 0; i < caller.getArguments().size(); i++) {
      if (caller.getArgument(i) == r) {
        index = i;
      }
    }
    if (index < 0) {
      return -1;
    }
    for (TypeUniverse.FoundMethod m : fa.typer.methodsOf(caller)) {
      Optional<List<JType>> ps = fa.typer.context().universe().functionParameters(m.parameterType(index), fa.typer.context());
      if (ps.isPresent()) {
        return ps.get().size();
      }
    }
    return -1;
  }

  /** Methods a reference like this::m, Outer::m (static) or Outer.this::m names in the enclosing classes. */
  private List<MethodDeclaration> localTargets(MethodReferenceExpr r) {
    Expression scope = r.getScope();
    if (scope instanceof SuperExpr) {
      return List.of();
    }
    String typeName = null;
    if (scope instanceof ThisExpr t) {
      typeName = t.getTypeName().map(n -> n.getIdentifier()).orElse(null);
    } else if (scope instanceof TypeExpr te) {
      typeName = te.getType().asString();
    } else {
      return List.of();
    }
    for (Node a = r.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> td) {
        if (typeName == null || td.getNameAsString().equals(typeName)) {
          SourceTypeInfo info = fa.typer.context().typeInfo(td);
          return info.methodDeclarations(r.getIdentifier()).stream().filter(m -> m.getBody().isPresent()).toList();
        }
      } else if (a instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent() && typeName == null) {
        SourceTypeInfo info = fa.typer.context().typeInfo(o);
        List<MethodDeclaration> ms = info.methodDeclarations(r.getIdentifier());
        if (!ms.isEmpty()) {
          return ms.stream().filter(m -> m.getBody().isPresent()).toList();
        }
      }
    }
    return List.of();
  }

  static String callText(MethodCallExpr call) {
    String s = call.toString();
    if (s.length() <= 60 && s.indexOf('\n') < 0) {
      return s;
    }
    String scope = call.getScope().map(Object::toString).orElse("");
    if (scope.length() > 40 || scope.indexOf('\n') >= 0) {
      scope = "…";
    }
    return (scope.isEmpty() ? "" : scope + ".") + call.getNameAsString() + (call.getArguments().isEmpty() ? "()" : "(…)");
  }
}
