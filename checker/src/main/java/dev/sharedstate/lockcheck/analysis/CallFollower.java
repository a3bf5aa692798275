package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.TypeExpr;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.Span;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.locks.Held;
import dev.sharedstate.lockcheck.locks.HeldLock;
import dev.sharedstate.lockcheck.locks.LockRegion;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.SourceIndex;
import dev.sharedstate.lockcheck.types.SourceTypeInfo;
import dev.sharedstate.lockcheck.types.TestCode;
import dev.sharedstate.lockcheck.types.TypeInfo;
import dev.sharedstate.lockcheck.types.TypeUniverse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows calls made under a lock into the methods of the analysed sources (issue 6, item 1). A
 * method's summary ("a call to it may block, through this chain") is computed by walking its body
 * with a stand-in for the caller's locks held ({@link LockRegion.CallersLocks}), with the same
 * catalogue, matcher and lambda rules as any body, following its own calls in turn. Recursion is cut
 * where a method already being summarised is called again; as in Tarjan's algorithm, a result that
 * depended on such a method is settled when that method's walk ends. Settled summaries are exact (the
 * shortest chain) and memoised, so each body is walked about once per run and findings do not depend
 * on the order threads work in; only chains of at most {@link #MAX_DEPTH} methods are reported. One
 * per analysed file (one thread); other files' summaries are shared through {@link MethodSummaries}.
 */
final class CallFollower {

  /**
   * Methods a reported chain may go through, at most (the method called under the lock first, the
   * one making the blocking call last). Summaries themselves are exact; the bound only decides what is
   * reported, so findings do not depend on the order the threads summarise methods in.
   */
  static final int MAX_DEPTH = 8;

  /** Nested summaries, at most (a guard for the stack; beyond it a call counts as not blocking). */
  static final int MAX_NESTING = 64;

  /** Files that may implement an abstract method, at most (else the call is not followed). */
  static final int MAX_IMPLEMENTATION_FILES = 16;

  /** The id of the stand-in lock (real acquisitions get ids from 1). */
  static final int CALLERS_LOCK_ID = -1;

  static final String CALLERS_KEY = "callers:";

  private static final int NONE = Integer.MAX_VALUE;

  private final MethodSummaries shared;

  /** The run-wide memo, for the analyses that keep their own (parameters' origins). */
  MethodSummaries shared() {
    return shared;
  }
  private final FileAnalysis home;
  private final Map<Node, Optional<CallChain>> local = new IdentityHashMap<>();
  /** This file's summaries made with zero-timeout arguments ({@link ZeroArguments}), by key. */
  private final Map<String, Optional<CallChain>> localZeros = new java.util.HashMap<>();
  /**
   * Analyses of the other files whose methods this file's calls reach, the most recently used few:
   * a summary, once computed, refers to no tree, so an analysis dropped here is only made again.
   */
  private final Map<IdentityKey, FileAnalysis> others = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<IdentityKey, FileAnalysis> eldest) {
      return size() > MAX_OTHER_FILES;
    }
  };

  /** Other files' analyses kept at once, at most. */
  static final int MAX_OTHER_FILES = 32;

  /** A tree by identity (JavaParser nodes hash and compare by structure, which costs a walk). */
  private record IdentityKey(CompilationUnit cu) {
    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey k && k.cu == cu;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(cu);
    }
  }
  /**
   * The methods being summarised, by key (file and position), not by node: the source index may
   * evict a tree and parse it again meanwhile, and the copy is the same method.
   */
  private final List<String> stack = new ArrayList<>();
  private final List<int[]> lows = new ArrayList<>();
  /** Results that depend on a method still being summarised (Tarjan's pending SCC members), with that dependency. */
  private final Map<String, Pending> unfinished = new java.util.HashMap<>();
  private final List<String> pending = new ArrayList<>();

  private record Pending(Optional<CallChain> result, int low, Node method) {}

  CallFollower(MethodSummaries shared, FileAnalysis home) {
    this.shared = shared;
    this.home = home;
  }

  /**
   * The chain through which {@code call} (made in {@code fa}'s file by a walker {@code depth} calls
   * below the lock region; 0 for the body holding the lock) blocks, if it calls source methods that
   * all block.
   */
  Optional<CallChain> blockingCallee(FileAnalysis fa, Node call, int depth) {
    return blockingCallee(fa, call, depth, Map.of());
  }

  /**
   * As above, where the arguments at the positions in {@code zeroArgs} are known zero timeouts: each
   * target is summarised with its parameters bound to them ({@link ZeroArguments}), memoised apart.
   */
  Optional<CallChain> blockingCallee(FileAnalysis fa, Node call, int depth, Map<Integer, ZeroArguments.Kind> zeroArgs) {
    List<? extends Node> targets;
    try {
      targets = switch (call) {
        case MethodCallExpr m -> resolve(fa, m);
        case ObjectCreationExpr o -> constructors(fa, o);
        case ExplicitConstructorInvocationStmt e -> explicitConstructors(fa, e);
        default -> List.of();
      };
    } catch (RuntimeException e) {
      return Optional.empty(); // an unresolvable call: not followed
    }
    return chainThrough(fa, call, targets, depth, zeroArgs);
  }

  /**
   * The implicit {@code close()} of a try-with-resources resource of type {@code type}, declared at
   * {@code resource}: the chain through which it blocks, when its class is one of the sources'.
   */
  Optional<CallChain> blockingClose(FileAnalysis fa, Node resource, JType type, int depth) {
    List<CallableDeclaration<?>> targets;
    try {
      targets = resolve(fa, type, "close", List.of());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    Optional<CallChain> chain = chainThrough(fa, resource, targets, depth);
    if (chain.isPresent() && !targets.isEmpty()) {
      String owner = FileAnalysis.enclosingTypeName(targets.get(0));
      chain = Optional.of(chain.get().withHead(owner + "." + chain.get().head()));
    }
    return chain;
  }

  /**
   * A method reference to another object's or class's method ({@code loader::load},
   * {@code Loader::load}) run at once under a lock: the chain through the methods it may name.
   */
  Optional<CallChain> blockingReference(FileAnalysis fa, MethodReferenceExpr r, int depth) {
    List<CallableDeclaration<?>> targets = new ArrayList<>();
    try {
      Expression scope = r.getScope();
      JType type = null;
      if (scope instanceof TypeExpr te && te.getType() instanceof ClassOrInterfaceType ct && ct.getScope().isEmpty()) {
        // `loader::load` parses as a type name; it is a variable when one of that name is in scope
        Optional<ExprTyper.Decl> variable = fa.typer.declarationOf(ct.getNameAsString(), r);
        type = variable.map(fa.typer::typeOf).orElse(null);
      }
      if (type == null) {
        type = scope instanceof TypeExpr te ? fa.typer.context().resolve(te.getType()) : fa.typer.scopeType(scope);
      }
      if (type.kind() != JType.Kind.CLASS || type.dims() > 0
          || !(fa.typer.context().lookup(type.name()).orElse(null) instanceof SourceTypeInfo)) {
        return Optional.empty();
      }
      TypeUniverse universe = fa.typer.context().universe();
      for (String q : universe.allSupertypes(type.name(), fa.typer.context())) {
        if (fa.typer.context().lookup(q).orElse(null) instanceof SourceTypeInfo s
            && !s.methodDeclarations(r.getIdentifier()).isEmpty()) {
          for (MethodDeclaration md : s.methodDeclarations(r.getIdentifier())) {
            if (md.getBody().isPresent()) {
              targets.add(md);
            } else if (!md.isStatic()) {
              List<MethodDeclaration> impls = implementations(fa, s, md);
              if (impls.isEmpty()) {
                return Optional.empty();
              }
              targets.addAll(impls);
            }
          }
          break;
        }
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return chainThrough(fa, r, targets, depth);
  }

  /**
   * The shortest chain when every target blocks (sound-but-quiet), else empty; at a call under a
   * real lock (depth 0), only a chain of at most {@link #MAX_DEPTH} methods.
   */
  private Optional<CallChain> chainThrough(FileAnalysis fa, Node call, List<? extends Node> targets,
      int depth) {
    return chainThrough(fa, call, targets, depth, Map.of());
  }

  private Optional<CallChain> chainThrough(FileAnalysis fa, Node call, List<? extends Node> targets,
      int depth, Map<Integer, ZeroArguments.Kind> zeroArgs) {
    if (targets.isEmpty()) {
      return Optional.empty();
    }
    if (stack.isEmpty()) {
      unfinished.clear();
      pending.clear();
    }
    CallChain best = null;
    Node bestTarget = null;
    for (Node t : targets) {
      Optional<CallChain> c = summary(t, zeroArgs);
      if (c.isEmpty()) {
        return Optional.empty(); // sound-but-quiet: every possible target must block
      }
      if (best == null || better(c.get(), best)) {
        best = c.get();
        bestTarget = t;
      }
    }
    if (depth == 0 && best.length() > MAX_DEPTH) {
      return Optional.empty();
    }
    if (call instanceof MethodCallExpr m && m.getScope().isPresent()) {
      // an implementation or a superclass's method: name its class (`BlockingCloser.close()`)
      String owner = FileAnalysis.enclosingTypeName(bestTarget);
      JType receiver = fa.typer.receiverType(m);
      if (receiver.kind() == JType.Kind.CLASS && !receiver.simpleName().equals(owner)) {
        best = best.withHead(owner + "." + best.head());
      }
    }
    return Optional.of(best);
  }

  /**
   * The summary of one method or constructor: the shortest chain to a blocking call made with the
   * caller's locks held, or empty. Exact once its cycle is finished (then memoised); a method on the
   * stack counts as not blocking for the methods it calls back (the outer walk decides).
   */
  private Optional<CallChain> summary(Node c, Map<Integer, ZeroArguments.Kind> zeroArgs) {
    CompilationUnit cu = c.findCompilationUnit().orElse(null);
    boolean isHome = cu == home.compilationUnit();
    String key = (isHome ? "home:" + position(c) : sharedKey(c)) + (c instanceof TypeDeclaration<?> ? ":new" : "");
    ZeroArguments.Env zeros = ZeroArguments.Env.NONE;
    if (!zeroArgs.isEmpty() && c instanceof CallableDeclaration<?> cd) {
      FileAnalysis at = isHome ? home : analysisOf(cu);
      zeros = at == null ? zeros : ZeroArguments.bind(cd, zeroArgs, at.typer);
      if (!zeros.isEmpty()) {
        key += zeros.signature(cd);
        isHome = false; // memoised by key (the plain summary keeps the node's entry)
        key = (cu == home.compilationUnit() ? "zhome:" : "") + key;
      }
    }
    for (int i = 0; i < stack.size(); i++) {
      if (stack.get(i).equals(key)) {
        dependsOn(i);
        return Optional.empty();
      }
    }
    Optional<CallChain> memo = isHome ? local.get(c) : key.startsWith("zhome:") ? localZeros.get(key) : shared.get(key);
    if (memo != null) {
      return memo;
    }
    Pending p = unfinished.get(key);
    if (p != null) {
      dependsOn(p.low());
      return p.result();
    }
    if (stack.size() >= MAX_NESTING) {
      dependsOn(-1);
      return Optional.empty();
    }
    FileAnalysis fa = cu == home.compilationUnit() ? home : analysisOf(cu);
    if (fa == null) {
      return Optional.empty();
    }
    int index = stack.size();
    int firstPending = pending.size();
    stack.add(key);
    int[] low = {NONE};
    lows.add(low);
    List<RawFinding> found = new ArrayList<>();
    try {
      Span at = FileAnalysis.spanOf(c).orElse(Span.at(1, 1));
      Held start = Held.NONE.plus(new HeldLock(new LockRegion.CallersLocks(), CALLERS_KEY, at, CALLERS_LOCK_ID));
      BodyWalker w = BodyWalker.forSummary(fa, found, index + 1, zeros);
      switch (c) {
        case MethodDeclaration md when md.getBody().isPresent() -> fa.analyseMethod(md, start, w);
        case ConstructorDeclaration cd -> {
          boolean delegates = cd.getBody().getStatements().getFirst()
              .map(st -> st instanceof ExplicitConstructorInvocationStmt e && e.isThis()).orElse(false);
          if (!delegates && cd.getParentNode().orElse(null) instanceof TypeDeclaration<?> td) {
            initializers(td, w, start);
          }
          w.walkBody(cd.getBody(), start);
        }
        case TypeDeclaration<?> td -> initializers(td, w, start); // the implicit constructor
        default -> { }
      }
    } catch (RuntimeException | StackOverflowError e) {
      found.clear(); // not analysable: treated as not blocking, and not memoised
      low[0] = -1;
    } finally {
      stack.remove(index);
      lows.remove(index);
    }
    Optional<CallChain> result = choose(fa, c, found);
    boolean complete = low[0] >= index;
    if (complete) {
      remember(c, key, result);
      // the root of a cycle: its members' results are exact if it does not block (a blocking member
      // would have made it block); if it blocks, they are computed again when asked
      List<String> members = pending.subList(firstPending, pending.size());
      for (String m : members) {
        Pending mp = unfinished.remove(m);
        if (result.isEmpty() && mp != null && mp.result().isEmpty()) {
          remember(mp.method(), m, Optional.empty());
        }
      }
      members.clear();
    } else {
      dependsOn(low[0]);
      // what c's cycle members depended on now depends on what c depended on (c leaves the stack)
      for (String m : pending.subList(firstPending, pending.size())) {
        Pending mp = unfinished.get(m);
        if (mp != null && mp.low() > low[0]) {
          unfinished.put(m, new Pending(mp.result(), low[0], mp.method()));
        }
      }
      unfinished.put(key, new Pending(result, low[0], c));
      pending.add(key);
    }
    return result;
  }

  private void remember(Node c, String key, Optional<CallChain> result) {
    if (key.startsWith("home:")) {
      local.put(c, result);
    } else if (key.startsWith("zhome:")) {
      localZeros.put(key, result);
    } else {
      shared.put(key, result);
    }
  }

  /**
   * A method of a source-index file, by file and position: the same key whichever copy of the tree
   * it is read from (the index may evict a tree and parse the file again).
   */
  static String sharedKey(Node c) {
    String file = c.findCompilationUnit().flatMap(SourceIndex::fileOf).map(Path::toString).orElse("?");
    return file + ":" + position(c);
  }

  private static String position(Node c) {
    return c.getBegin().map(p -> p.line + ":" + p.column).orElse("?");
  }

  /** The result being computed on top of the stack depends on the method at stack index i (-1: a bound). */
  private void dependsOn(int i) {
    if (!lows.isEmpty()) {
      int[] top = lows.get(lows.size() - 1);
      top[0] = Math.min(top[0], i);
    }
  }

  /**
   * The shortest chain among the blocking calls made with the caller's locks still held; when there is
   * none, the shortest to a wait ({@code Object.wait}, {@code Condition.await}...). A wait's chain
   * only ever yields a pinning finding at the caller: which monitor it releases depends on what the
   * caller passed, so it is never a lock-held one (see the rule page), but inside {@code synchronized}
   * on release 21-23 it pins whatever it releases.
   */
  /**
   * What every constructor of {@code td} runs before its body (JLS 12.5): the instance field
   * initialisers and instance initializer blocks, written at the fields but run by {@code new}.
   */
  private static void initializers(TypeDeclaration<?> td, BodyWalker w, Held start) {
    for (var m : td.getMembers()) {
      if (m instanceof com.github.javaparser.ast.body.FieldDeclaration f && !f.isStatic()) {
        for (var v : f.getVariables()) {
          v.getInitializer().ifPresent(init -> w.scan(init, start));
        }
      } else if (m instanceof com.github.javaparser.ast.body.InitializerDeclaration init && !init.isStatic()) {
        w.walkBody(init.getBody(), start);
      }
    }
  }

  private static Optional<CallChain> choose(FileAnalysis fa, Node c, List<RawFinding> found) {
    String name = display(c);
    CallChain best = null;
    CallChain bestWait = null;
    for (RawFinding f : found) {
      if (f.locks().stream().noneMatch(l -> l.id() == CALLERS_LOCK_ID)) {
        continue;
      }
      boolean waits = f.method().releases() != BlockingMethod.Releases.NOTHING;
      Span at = FileAnalysis.spanOf(f.at()).orElse(Span.at(1, 1));
      CallChain chain = f.chain() != null
          ? f.chain().calledFrom(name, f.callText(), fa.file(), at, f.waitKey())
          : new CallChain(name, List.of(new CallChain.Step(name, f.callText(), null, fa.file(), at)), f.method(),
              f.byNameOnly(), f.waitKey());
      if (waits) {
        if (bestWait == null || betterWait(chain, bestWait)) {
          bestWait = chain;
        }
      } else if (best == null || better(chain, best)) {
        best = chain;
      }
    }
    return Optional.ofNullable(best != null ? best : bestWait);
  }

  /**
   * Of two chains that block, the one to show: one whose blocking call's receiver type is known
   * (not matched by the name it was declared with), then the shorter.
   */
  private static boolean better(CallChain a, CallChain b) {
    if (a.byNameOnly() != b.byNameOnly()) {
      return !a.byNameOnly();
    }
    return a.length() < b.length();
  }

  /**
   * Of two chains to a wait, the one a caller can judge: a wait on a lock the helper took itself
   * first, then one whose lock is named in the caller's terms, then the shorter.
   */
  private static boolean betterWait(CallChain a, CallChain b) {
    int ra = waitRank(a.waitKey());
    int rb = waitRank(b.waitKey());
    return ra != rb ? ra < rb : a.length() < b.length();
  }

  private static int waitRank(WaitKey k) {
    if (k == null || k.kind() == WaitKey.Kind.UNKNOWN) {
      return 2;
    }
    return k.own() ? 0 : 1;
  }

  static String display(Node c) {
    return switch (c) {
      case ConstructorDeclaration cd -> "new " + cd.getNameAsString() + "()";
      case TypeDeclaration<?> td -> "new " + td.getNameAsString() + "()";
      case CallableDeclaration<?> cd -> cd.getNameAsString() + "()";
      default -> "?";
    };
  }

  /** The analysis to summarise the methods of {@code cu} with (another parse of the home file). */
  void adopt(CompilationUnit cu, FileAnalysis fa) {
    others.put(new IdentityKey(cu), fa);
  }

  private FileAnalysis analysisOf(CompilationUnit cu) {
    if (cu == null) {
      return null;
    }
    FileAnalysis fa = others.get(new IdentityKey(cu));
    if (fa == null) {
      Optional<Path> file = SourceIndex.fileOf(cu);
      Optional<SourceTypeInfo> anyType = cu.getTypes().stream().findFirst()
          .flatMap(td -> home.typer.context().universe().sources().lookup(td.getFullyQualifiedName().orElse(""))
              .filter(t -> t instanceof SourceTypeInfo).map(t -> (SourceTypeInfo) t));
      if (file.isEmpty() || anyType.isEmpty()) {
        return null;
      }
      fa = new FileAnalysis(file.get(), anyType.get().context(), home.catalogue, this);
      others.put(new IdentityKey(cu), fa);
    }
    return fa;
  }

  // ---------------------------------------------------------------- resolution

  /**
   * The source methods a call may run, by the documented policy: the method the receiver's static
   * type resolves to when it has a body; for an abstract or interface method, its implementations in
   * the analysed sources (every one must block for the call to block); nothing for library methods.
   */
  private List<CallableDeclaration<?>> resolve(FileAnalysis fa, MethodCallExpr call) {
    return resolve(fa, fa.typer.receiverType(call), call.getNameAsString(), call.getArguments(), call);
  }

  private List<CallableDeclaration<?>> resolve(FileAnalysis fa, JType receiver, String name, List<Expression> args) {
    return resolve(fa, receiver, name, args, null);
  }

  /** As above; {@code from}, the call (or null), rules out the private overloads it cannot see. */
  private List<CallableDeclaration<?>> resolve(FileAnalysis fa, JType receiver, String name, List<Expression> args,
      Node from) {
    if (receiver.kind() != JType.Kind.CLASS || receiver.dims() > 0
        || !(fa.typer.context().lookup(receiver.name()).orElse(null) instanceof SourceTypeInfo)) {
      return List.of(); // a library type: its methods are the catalogue's business
    }
    int arity = args.size();
    TypeUniverse universe = fa.typer.context().universe();
    List<MethodDeclaration> decls = new ArrayList<>();
    SourceTypeInfo declaring = null;
    for (TypeUniverse.FoundMethod f : universe.findMethods(receiver, name, arity, fa.typer.context())) {
      Optional<TypeInfo> t = fa.typer.context().lookup(f.sig().declaringType());
      if (t.isPresent() && t.get() instanceof SourceTypeInfo s) {
        declaring = s;
        for (MethodDeclaration md : s.methodDeclarations(name)) {
          if (accepts(md.getParameters(), arity) && decls.stream().noneMatch(d -> d == md)) {
            decls.add(md);
          }
        }
      }
    }
    if (decls.size() > 1 && from != null) {
      // a private method is visible only inside its top-level class (HBase's private
      // HRegion.batchMutate(BatchOperation) is no candidate for a call from another class)
      String caller = topLevelName(from);
      List<MethodDeclaration> visible = decls.stream()
          .filter(md -> !md.isPrivate() || topLevelName(md).equals(caller)).toList();
      if (!visible.isEmpty()) {
        decls = new ArrayList<>(visible);
      }
    }
    if (decls.size() > 1) {
      decls = narrowByArguments(fa, declaring, decls, args);
    }
    List<CallableDeclaration<?>> out = new ArrayList<>();
    for (MethodDeclaration md : decls) {
      if (md.getBody().isPresent()) {
        out.add(md);
      } else if (!md.isStatic() && !md.hasModifier(Modifier.Keyword.NATIVE) && declaring != null) {
        List<MethodDeclaration> impls = implementations(fa, declaring, md);
        if (impls.isEmpty()) {
          return List.of(); // no implementation known: not followed
        }
        out.addAll(impls);
      }
    }
    return out;
  }

  /**
   * Every implementation of an abstract method in the analysed sources' concrete classes (see the rule
   * page's policy); empty when one of them is not in the sources, or when the type is a functional
   * interface (lambdas anywhere may implement it, and they are not indexed). For a call in main code,
   * only main code counts: test sources and test doubles ({@link TestCode}) are no evidence of what
   * the call does in production.
   */
  private List<MethodDeclaration> implementations(FileAnalysis fa, SourceTypeInfo declaring, MethodDeclaration md) {
    if (declaring.isInterface() && declaring.singleAbstractMethod().isPresent()) {
      return List.of();
    }
    boolean fromMain = !fa.isTestCode();
    String key = declaring.qualifiedName() + "#" + md.getNameAsString() + "/" + md.getParameters().size()
        + (fromMain ? "|main" : "|all");
    List<MethodSummaries.MethodRef> refs = shared.implementations(key, k -> findImplementations(fa, declaring, md,
        fromMain));
    List<MethodDeclaration> out = new ArrayList<>(refs.size());
    TypeUniverse universe = fa.typer.context().universe();
    for (MethodSummaries.MethodRef ref : refs) {
      // the tree may have been parsed again since: find the declaration by position
      if (universe.sources().lookup(ref.type()).orElse(null) instanceof SourceTypeInfo t) {
        t.methodDeclarations(ref.name()).stream().filter(ref::is).findFirst().ifPresent(out::add);
      }
    }
    return out.size() == refs.size() ? out : List.of();
  }

  private List<MethodSummaries.MethodRef> findImplementations(FileAnalysis fa, SourceTypeInfo declaring,
      MethodDeclaration md, boolean mainOnly) {
    TypeUniverse universe = fa.typer.context().universe();
    String target = declaring.qualifiedName();
    String simple = target.substring(target.lastIndexOf('.') + 1);
    String name = md.getNameAsString();
    int arity = md.getParameters().size();
    List<MethodSummaries.MethodRef> out = new ArrayList<>();
    List<Path> candidates = universe.sources().filesNamingSupertype(simple);
    if (mainOnly) {
      candidates = candidates.stream().filter(f -> !TestCode.isTestPath(f)).toList();
    }
    if (candidates.size() > MAX_IMPLEMENTATION_FILES) {
      return List.of(); // a type implemented all over the sources: not followed (cost)
    }
    String pkg = declaring.context().packageName();
    for (Path file : candidates) {
      if (!universe.sources().mayReferTo(file, pkg)) {
        continue; // names another type of that simple name
      }
      for (SourceTypeInfo t : universe.sources().typesIn(file)) {
        if (t.isInterface() || t.qualifiedName().equals(target) || !(t.declaration() instanceof TypeDeclaration<?> td)
            || td.hasModifier(Modifier.Keyword.ABSTRACT)
            || (mainOnly && TestCode.isTestDouble(td.getNameAsString()))
            || !universe.allSupertypes(t.qualifiedName(), t.context()).contains(target)) {
          continue;
        }
        MethodSummaries.MethodRef impl = null;
        for (TypeUniverse.FoundMethod f : universe.findMethods(JType.of(t.qualifiedName()), name, arity, t.context())) {
          Optional<TypeInfo> d = t.context().lookup(f.sig().declaringType());
          if (d.isPresent() && d.get() instanceof SourceTypeInfo s) {
            MethodDeclaration best = null;
            for (MethodDeclaration m : s.methodDeclarations(name)) {
              // a private or static method implements nothing; among overloads of the arity, the
              // one whose parameter types are spelled as the abstract method's (HBase's HRegion has a
              // private batchMutate(BatchOperation) beside Region.batchMutate(Mutation[])'s implementation)
              if (m.getBody().isPresent() && m.getParameters().size() == arity && !m.isPrivate() && !m.isStatic()
                  && (best == null || !sameParameterTypes(best, md))) {
                best = m;
              }
            }
            if (best != null) {
              impl = MethodSummaries.MethodRef.of(s.qualifiedName(), best);
            }
          }
        }
        if (impl == null) {
          return List.of(); // implemented outside the sources (or not found): unknown, not followed
        }
        if (!out.contains(impl)) {
          out.add(impl);
        }
      }
    }
    return out;
  }

  /** The parameter types spelled alike, generics aside ({@code List<T>} and {@code List<String>} alike). */
  private static boolean sameParameterTypes(MethodDeclaration a, MethodDeclaration b) {
    for (int i = 0; i < a.getParameters().size(); i++) {
      if (!erased(a.getParameter(i)).equals(erased(b.getParameter(i)))) {
        return false;
      }
    }
    return true;
  }

  private static String erased(Parameter p) {
    String t = p.getType().asString().replaceAll("<.*>", "");
    return t.substring(t.lastIndexOf('.') + 1) + (p.isVarArgs() ? "[]" : "");
  }

  /** The package and the outermost type declaration a node is in ("" when none). */
  private static String topLevelName(Node n) {
    String name = "";
    for (Node a = n; a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> t) {
        name = t.getNameAsString();
      } else if (a instanceof CompilationUnit cu) {
        name = cu.getPackageDeclaration().map(p -> p.getNameAsString() + ".").orElse("") + name;
      }
    }
    return name;
  }

  private static boolean accepts(List<Parameter> ps, int arity) {
    int n = ps.size();
    boolean varArgs = n > 0 && ps.get(n - 1).isVarArgs();
    return varArgs ? arity >= n - 1 : arity == n;
  }

  /** Overloads of one arity: keep those whose parameter types the known argument types fit. */
  private static List<MethodDeclaration> narrowByArguments(FileAnalysis fa, SourceTypeInfo owner,
      List<MethodDeclaration> decls, List<Expression> args) {
    List<MethodDeclaration> out = new ArrayList<>();
    for (MethodDeclaration md : decls) {
      boolean fits = true;
      for (int i = 0; i < args.size() && i < md.getParameters().size() && fits; i++) {
        JType a = fa.typer.typeOf(args.get(i));
        JType p = owner.context().resolve(md.getParameter(i).getType());
        if (a.kind() == JType.Kind.CLASS && p.kind() == JType.Kind.CLASS && a.dims() == p.dims()
            && !fa.typer.isSubtype(a, p.name())) {
          fits = false;
        } else if (a.kind() == JType.Kind.PRIMITIVE && p.kind() == JType.Kind.PRIMITIVE && !a.name().equals(p.name())
            && a.dims() == p.dims() && a.dims() == 0 && !widens(a.name(), p.name())) {
          fits = false;
        }
      }
      if (fits) {
        out.add(md);
      }
    }
    return out.isEmpty() ? decls : out;
  }

  private static boolean widens(String from, String to) {
    String order = "byte short int long float double";
    return !from.equals("boolean") && !to.equals("boolean") && !from.equals("char") && order.indexOf(from) >= 0
        && order.indexOf(to) > order.indexOf(from) || from.equals("char") && "int long float double".contains(to);
  }

  /** The constructors {@code new T(...)} may run, when T is a class of the analysed sources. */
  /** The constructor {@code this(...)} or {@code super(...)} runs, when its class is one of the sources'. */
  private static List<Node> explicitConstructors(FileAnalysis fa, ExplicitConstructorInvocationStmt e) {
    TypeDeclaration<?> self = e.findAncestor(TypeDeclaration.class).map(t -> (TypeDeclaration<?>) t).orElse(null);
    if (self == null) {
      return List.of();
    }
    TypeDeclaration<?> td = self;
    if (!e.isThis()) {
      Optional<JType> sup = fa.typer.context().typeInfo(self).directSupertypes().stream().findFirst();
      if (sup.isEmpty() || sup.get().kind() != JType.Kind.CLASS
          || !(fa.typer.context().lookup(sup.get().name()).orElse(null) instanceof SourceTypeInfo s)
          || !(s.declaration() instanceof TypeDeclaration<?> superDecl)) {
        return List.of();
      }
      td = superDecl;
    }
    int arity = e.getArguments().size();
    if (td.getConstructors().isEmpty() && arity == 0 && !e.isThis()) {
      return List.of(td);
    }
    List<Node> out = new ArrayList<>();
    for (ConstructorDeclaration cd : td.getConstructors()) {
      if (accepts(cd.getParameters(), arity) && !cd.isAncestorOf(e)) {
        out.add(cd);
      }
    }
    return out.size() == 1 ? out : List.of();
  }

  private static List<Node> constructors(FileAnalysis fa, ObjectCreationExpr o) {
    JType t = fa.typer.context().resolve(o.getType());
    if (t.kind() != JType.Kind.CLASS) {
      return List.of();
    }
    Optional<TypeInfo> info = fa.typer.context().lookup(t.name());
    if (info.isEmpty() || !(info.get() instanceof SourceTypeInfo s) || !(s.declaration() instanceof TypeDeclaration<?> td)) {
      return List.of();
    }
    int arity = o.getArguments().size();
    if (td.getConstructors().isEmpty() && arity == 0 && o.getAnonymousClassBody().isEmpty()
        && td instanceof com.github.javaparser.ast.body.ClassOrInterfaceDeclaration c && !c.isInterface()) {
      return List.of(td); // the implicit constructor: the field initialisers and initializer blocks
    }
    List<Node> out = new ArrayList<>();
    for (ConstructorDeclaration cd : td.getConstructors()) {
      if (accepts(cd.getParameters(), arity)) {
        out.add(cd);
      }
    }
    return out.size() == 1 ? out : List.of(); // overloaded constructors of one arity: not followed
  }
}
