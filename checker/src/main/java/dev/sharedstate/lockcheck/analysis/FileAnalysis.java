package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.Position;
import com.github.javaparser.Range;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.AnnotationDeclaration;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import com.github.javaparser.ast.stmt.BlockStmt;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.LockEvidence;
import dev.sharedstate.lockcheck.Span;
import dev.sharedstate.lockcheck.blocking.Catalogue;
import dev.sharedstate.lockcheck.locks.Held;
import dev.sharedstate.lockcheck.locks.HeldLock;
import dev.sharedstate.lockcheck.locks.LockRegion;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.FileContext;
import dev.sharedstate.lockcheck.types.TypeUniverse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analysis of one parsed file: visits every body (methods, constructors, initializers, field
 * initialisers, nested, local and anonymous classes, records, enums, lambdas), walks each with a
 * {@link BodyWalker}, and turns what the walkers recorded into {@link Finding}s with the lock
 * evidence and suppression applied.
 */
public final class FileAnalysis {

  /** The rule this engine reports for locks the code takes. */
  public static final String RULE_ID = "lock-held-across-blocking-call";

  /**
   * The virtual-thread pinning rule: a blocking call (or {@code Object.wait}) inside {@code synchronized}.
   * Findings under it are always computed; {@code Lockcheck} keeps them only for a target release of 21-23.
   */
  public static final String PINNING_RULE_ID = "virtual-thread-pinning";

  /** The rule for blocking inside the function a ConcurrentHashMap runs under its bin lock. */
  public static final String MAP_COMPUTE_RULE_ID = "blocking-in-map-compute";

  /** The catch-all suppression key. */
  public static final String CATCH_ALL = "lockcheck";

  /**
   * Set by the run on a tree parsed from text whose bodies were blanked ({@code source.Skeleton}):
   * the file's full text, parsed again when the analysis needs what a blanked body assigns.
   */
  public static final com.github.javaparser.ast.DataKey<String> FULL_TEXT =
      new com.github.javaparser.ast.DataKey<>() {};

  private final Path file;
  private final CompilationUnit cu;
  final Catalogue catalogue;
  final ExprTyper typer;
  final LockOps lockOps;
  final BlockingMatcher matcher;
  final CallFollower follower;
  final Origins origins = new Origins(this);
  final StreamOrigins streams = StreamOrigins.builtIn();
  final QueueCapacity queues = QueueCapacity.builtIn();
  private final Map<Node, Integer> acquisitionIds = new IdentityHashMap<>();
  private final Map<Integer, List<Span>> releases = new HashMap<>();
  // keyed by identity: JavaParser nodes compare structurally, and two `f.join()` calls are equal
  private final Map<Node, RawFinding> findings = new IdentityHashMap<>();
  // waits that release the only monitor held: no finding of RULE_ID, but they pin a virtual thread
  private final Map<Node, RawFinding> waits = new IdentityHashMap<>();
  private int nextId = 1;

  private FileAnalysis(Path file, CompilationUnit cu, Catalogue catalogue, TypeUniverse universe,
      MethodSummaries summaries) {
    this.file = file;
    this.cu = cu;
    this.catalogue = catalogue;
    this.typer = new ExprTyper(new FileContext(cu, universe));
    this.lockOps = new LockOps(typer, catalogue);
    this.matcher = new BlockingMatcher(catalogue, typer);
    this.follower = new CallFollower(summaries, this);
  }

  private FileAnalysis fullTree;

  /**
   * This file's analysis over another parse of it (its full text, when this tree was parsed with
   * bodies blanked): walks a body found there with this file's follower, findings redirected.
   */
  FileAnalysis alsoParsedAs(FileContext ctx) {
    if (fullTree == null || fullTree.typer.context() != ctx) {
      fullTree = new FileAnalysis(file, ctx, catalogue, follower);
    }
    follower.adopt(ctx.compilationUnit(), fullTree); // again: the follower keeps only its most recent files
    return fullTree;
  }

  /** Another file's analysis, used only to summarise its methods for {@code follower}'s file. */
  FileAnalysis(Path file, FileContext ctx, Catalogue catalogue, CallFollower follower) {
    this.file = file;
    this.cu = ctx.compilationUnit();
    this.catalogue = catalogue;
    this.typer = new ExprTyper(ctx);
    this.lockOps = new LockOps(typer, catalogue);
    this.matcher = new BlockingMatcher(catalogue, typer);
    this.follower = follower;
  }

  /** Analyses a parsed file; returns its findings in source order. */
  public static List<Finding> analyse(Path file, CompilationUnit cu, Catalogue catalogue, TypeUniverse universe) {
    return analyse(file, cu, catalogue, universe, new MethodSummaries());
  }

  /** As above, sharing the summaries of the other files' methods with the rest of the run. */
  public static List<Finding> analyse(Path file, CompilationUnit cu, Catalogue catalogue, TypeUniverse universe,
      MethodSummaries summaries) {
    FileAnalysis a = new FileAnalysis(file, cu, catalogue, universe, summaries);
    for (TypeDeclaration<?> td : cu.getTypes()) {
      a.analyseMembers(td.getMembers());
      if (td instanceof EnumDeclaration e) {
        a.analyseEnumConstants(e);
      }
    }
    return a.results();
  }

  Path file() {
    return file;
  }

  private Boolean testCode;

  /** Whether this file is test code by its path ({@link dev.sharedstate.lockcheck.types.TestCode}). */
  boolean isTestCode() {
    if (testCode == null) {
      testCode = dev.sharedstate.lockcheck.types.TestCode.isTestPath(file);
    }
    return testCode;
  }

  CompilationUnit compilationUnit() {
    return cu;
  }

  int idFor(Node acquisition) {
    return acquisitionIds.computeIfAbsent(acquisition, n -> nextId++);
  }

  void released(HeldLock lock, Span where) {
    List<Span> l = releases.computeIfAbsent(lock.id(), k -> new ArrayList<>());
    if (!l.contains(where)) {
      l.add(where);
    }
  }

  void record(RawFinding raw) {
    // the stand-in for a caller's locks only ever reaches a summary, never a finding
    RawFinding f = raw.withLocks(raw.locks().stream().filter(l -> l.id() != CallFollower.CALLERS_LOCK_ID).toList());
    if (f.locks().isEmpty()) {
      return;
    }
    RawFinding prev = findings.get(f.at());
    if (prev == null) {
      findings.put(f.at(), f);
      return;
    }
    List<HeldLock> union = new ArrayList<>(prev.locks());
    for (HeldLock l : f.locks()) {
      if (union.stream().noneMatch(x -> x.id() == l.id())) {
        union.add(l);
      }
    }
    union.sort(Comparator.comparingInt(HeldLock::id));
    findings.put(f.at(), prev.withLocks(union));
  }

  void waitedUnderMonitor(RawFinding f) {
    if (f.locks().stream().anyMatch(HeldLock::isMonitor)) {
      waits.putIfAbsent(f.at(), f);
    }
  }

  /** The members of a class body, each analysed as a body of its own with no lock held. */
  void analyseMembers(List<BodyDeclaration<?>> members) {
    for (BodyDeclaration<?> m : members) {
      switch (m) {
        case MethodDeclaration md -> {
          if (md.getBody().isPresent()) {
            analyseMethod(md, Held.NONE, new BodyWalker(this));
          }
        }
        case ConstructorDeclaration cd -> new BodyWalker(this).walkBody(cd.getBody(), Held.NONE);
        case CompactConstructorDeclaration cc -> new BodyWalker(this).walkBody(cc.getBody(), Held.NONE);
        case InitializerDeclaration init -> new BodyWalker(this).walkBody(init.getBody(), Held.NONE);
        case FieldDeclaration fd -> {
          for (VariableDeclarator v : fd.getVariables()) {
            v.getInitializer().ifPresent(e -> new BodyWalker(this).scan(e, Held.NONE));
          }
        }
        case AnnotationDeclaration ad -> { } // annotation members have no bodies
        case TypeDeclaration<?> td -> {
          analyseMembers(td.getMembers());
          if (td instanceof EnumDeclaration e) {
            analyseEnumConstants(e);
          }
        }
        default -> { }
      }
    }
  }

  /** An anonymous class run at once by an immediate caller: its methods start with the caller's locks. */
  void analyseMembersUnder(List<BodyDeclaration<?>> members, Held held,
      java.util.function.Supplier<BodyWalker> walkers) {
    if (held.isEmpty()) {
      analyseMembers(members);
      return;
    }
    for (BodyDeclaration<?> m : members) {
      if (m instanceof MethodDeclaration md && md.getBody().isPresent()) {
        analyseMethod(md, held, walkers.get());
      } else {
        analyseMembers(List.of(m));
      }
    }
  }

  void analyseEnumConstants(EnumDeclaration e) {
    for (EnumConstantDeclaration c : e.getEntries()) {
      for (Expression arg : c.getArguments()) {
        new BodyWalker(this).scan(arg, Held.NONE);
      }
      analyseMembers(c.getClassBody());
    }
  }

  /**
   * Walks a method body starting from {@code held}, plus its own monitor when it is synchronized;
   * returns nothing (findings are recorded). Also used for the target of a method reference.
   */
  void analyseMethod(MethodDeclaration md, Held held, BodyWalker walker) {
    BlockStmt body = md.getBody().orElseThrow();
    Held start = held;
    HeldLock monitor = null;
    if (md.isSynchronized()) {
      String lock = md.isStatic() ? enclosingTypeName(md) + ".class" : "this";
      Node keyword = md.getModifiers().stream().filter(mod -> mod.getKeyword() == Modifier.Keyword.SYNCHRONIZED)
          .map(mod -> (Node) mod).findFirst().orElse(md);
      Span at = spanOf(keyword).orElse(spanOf(md).orElse(Span.at(1, 1)));
      if (at.line() == at.endLine() && at.endColumn() < at.column() + 11 && keyword != md) {
        at = new Span(at.line(), at.column(), at.line(), at.column() + 11);
      }
      monitor = new HeldLock(new LockRegion.SynchronizedMethod(lock, md.getNameAsString(), md.isStatic()),
          HeldLock.MONITOR + lock, at, idFor(md));
      start = held.plus(monitor);
    }
    walker.walkBody(body, start);
    if (monitor != null) {
      released(monitor, endBrace(body));
    }
  }

  static String enclosingTypeName(Node n) {
    for (Node a = n.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> td) {
        return td.getNameAsString();
      }
    }
    return "?";
  }

  static java.util.Optional<Span> spanOf(Node n) {
    return n.getRange().map(FileAnalysis::span);
  }

  static Span span(Range r) {
    return new Span(r.begin.line, r.begin.column, r.end.line, r.end.column);
  }

  static Span endBrace(Node block) {
    Position end = block.getEnd().orElse(new Position(1, 1));
    return Span.at(end.line, end.column);
  }

  private List<Finding> results() {
    List<Finding> out = new ArrayList<>();
    for (RawFinding r : findings.values()) {
      if (r.chain() != null && r.method().releases() != dev.sharedstate.lockcheck.blocking.BlockingMethod.Releases.NOTHING
          && r.waitKey() == null) {
        // a helper that waits, on a lock that may be the caller's: pinning only (CallFollower.choose)
        pinning(r).ifPresent(out::add);
        continue;
      }
      Span call = spanOf(r.at()).orElse(Span.at(1, 1));
      String rule = ruleOf(r);
      out.add(new Finding(rule, file, call.line(), call.column(), message(r), call, r.callText(),
          r.method().why(), evidence(r, r.locks(), call), via(r), isSuppressed(r, rule)));
      pinning(r).ifPresent(out::add);
    }
    for (RawFinding w : waits.values()) {
      if (!findings.containsKey(w.at())) {
        pinning(w).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparingInt(Finding::line).thenComparingInt(Finding::column));
    return out;
  }

  /** Each distinct lock (a reentrant acquisition is listed once): where taken, and its release nearest the call. */
  private List<LockEvidence> evidence(RawFinding r, List<HeldLock> locks, Span call) {
    Span blockingSpan = spanOf(r.blockingCall()).orElse(call);
    List<LockEvidence> evidence = new ArrayList<>();
    java.util.Set<String> seenKeys = new java.util.HashSet<>();
    for (HeldLock l : locks) {
      if (!seenKeys.add(l.key())) {
        continue;
      }
      Span rel = chooseRelease(releases.getOrDefault(l.id(), List.of()), blockingSpan);
      evidence.add(new LockEvidence(l.region().lock(), l.region().kind(), l.acquired(), l.region().takenLabel(),
          rel, rel == null ? null : l.region().releasedLabel()));
    }
    return evidence;
  }

  /** The chain through helper methods, if the call blocks indirectly. */
  private static List<Finding.Via> via(RawFinding r) {
    return r.chain() != null ? r.chain().via() : r.via();
  }

  /** Suppressed for this rule at the reported call, or at the blocking call it stands for. */
  private static boolean isSuppressed(RawFinding r, String rule) {
    return isSuppressed(r.at(), rule) || (r.blockingCall() != r.at() && isSuppressed(r.blockingCall(), rule));
  }

  /** The pinning finding for a blocking call with a monitor held, if one is. */
  private java.util.Optional<Finding> pinning(RawFinding r) {
    List<HeldLock> monitors = new ArrayList<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (HeldLock l : r.locks()) {
      if (l.isMonitor() && keys.add(l.key())) {
        monitors.add(l);
      }
    }
    if (monitors.isEmpty()) {
      return java.util.Optional.empty();
    }
    Span call = spanOf(r.at()).orElse(Span.at(1, 1));
    List<Finding.Via> via = via(r);
    String held = monitors.size() == 1 ? "the monitor of `" + monitors.get(0).region().lock() + "`"
        : "the monitors of " + String.join(", ", monitors.stream().map(l -> "`" + l.region().lock() + "`").toList());
    boolean waits = r.method().releases() == dev.sharedstate.lockcheck.blocking.BlockingMethod.Releases.RECEIVER_MONITOR;
    String what = waits ? shown(r) + " waits inside `synchronized` (" + held + ")"
        : shown(r) + " blocks (" + r.method().why() + ") inside `synchronized` (" + held + ")";
    if (r.chain() != null) {
      what = shown(r) + " blocks indirectly (" + r.method().why() + ") inside `synchronized` (" + held
          + "): via " + r.chain().render();
    } else if (!via.isEmpty()) {
      what = shown(r) + " runs a blocking call inside `synchronized` (" + held + "): "
          + via.get(0).description();
    }
    String message = what + ": on JDK 21-23 this pins a virtual thread to its carrier thread (JEP 491 fixed it in JDK 24)";
    return java.util.Optional.of(new Finding(PINNING_RULE_ID, file, call.line(), call.column(), message, call,
        r.callText(), r.method().why(), evidence(r, monitors, call), via, isSuppressed(r, PINNING_RULE_ID)));
  }

  /**
   * A blocking call made in the function a ConcurrentHashMap runs under a bin lock is reported by
   * its own rule, also when other locks are held too (one finding per call).
   */
  private static String ruleOf(RawFinding r) {
    return r.locks().stream().anyMatch(l -> l.region() instanceof LockRegion.MapBinLock) ? MAP_COMPUTE_RULE_ID : RULE_ID;
  }

  /** The first release after the blocking call (else the last one before it). */
  private static Span chooseRelease(List<Span> spans, Span call) {
    TreeMap<Long, Span> byPos = new TreeMap<>();
    for (Span s : spans) {
      byPos.put(((long) s.line() << 20) + s.column(), s);
    }
    var after = byPos.ceilingEntry(((long) call.line() << 20) + call.column());
    if (after != null) {
      return after.getValue();
    }
    return byPos.isEmpty() ? null : byPos.lastEntry().getValue();
  }

  private static String message(RawFinding raw) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    RawFinding r = raw.withLocks(raw.locks().stream().filter(l -> keys.add(l.key())).toList());
    String held = r.locks().size() == 1
        ? lockName(r.locks().get(0)) + " is held"
        : r.locks().size() + " locks are held ("
            + String.join(", ", r.locks().stream().map(FileAnalysis::lockName).toList()) + ")";
    String what = switch (r.method().releases()) {
      case RECEIVER_MONITOR, ARGUMENT_MONITOR, CONDITION_LOCK ->
          shown(r) + " waits, releasing only its own lock, while " + held;
      case NOTHING -> shown(r) + " blocks (" + r.method().why() + ") while " + held;
    };
    if (r.chain() != null && r.waitKey() != null) {
      String lock = r.waitKey().body();
      what = r.waitKey().own()
          ? shown(r) + " waits on its own lock `" + lock + "` (the wait releases only that lock) while "
              + held + ": via " + r.chain().render()
          : shown(r) + " waits, releasing only `" + lock + "`, while " + held + ": via " + r.chain().render();
    } else if (r.chain() != null) {
      what = shown(r) + " blocks indirectly (" + r.method().why() + ") while " + held + ": via "
          + r.chain().render();
    } else if (!r.via().isEmpty()) {
      what = shown(r) + " runs a blocking call under the lock: " + r.via().get(0).description()
          + "; " + held;
    }
    return what;
  }

  /**
   * The call as a message shows it: {@code `f.join()`}; the implicit {@code close()} of a
   * try-with-resources resource says so, since the code does not show the call.
   */
  private static String shown(RawFinding r) {
    return isResource(r.at()) ? "`" + r.callText() + "` (implicit, at the end of the try-with-resources)"
        : "`" + r.callText() + "`";
  }

  /** True for a resource of a try-with-resources (where its implicit close() is reported). */
  static boolean isResource(Node n) {
    return n.getParentNode().orElse(null) instanceof com.github.javaparser.ast.stmt.TryStmt t
        && t.getResources().stream().anyMatch(r -> r == n);
  }

  private static String lockName(HeldLock l) {
    return l.region() instanceof LockRegion.MapBinLock m
        ? "a bin lock of `" + m.lock() + "` (taken by `" + m.method() + "` for its function)"
        : "`" + l.region().lock() + "`";
  }

  /** {@code @SuppressWarnings(rule)} (or "lockcheck") on any enclosing declaration. */
  static boolean isSuppressed(Node n, String rule) {
    for (Node a = n; a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof NodeWithAnnotations<?> wa) {
        for (AnnotationExpr ann : wa.getAnnotations()) {
          String name = ann.getNameAsString();
          if (!name.equals("SuppressWarnings") && !name.equals("java.lang.SuppressWarnings")) {
            continue;
          }
          Expression value = switch (ann) {
            case SingleMemberAnnotationExpr s -> s.getMemberValue();
            case NormalAnnotationExpr na -> na.getPairs().stream().filter(p -> p.getNameAsString().equals("value"))
                .map(MemberValuePair::getValue).findFirst().orElse(null);
            default -> null;
          };
          if (value != null && suppresses(value, rule)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean suppresses(Expression value, String rule) {
    if (value instanceof StringLiteralExpr s) {
      String v = s.getValue();
      return v.equals(rule) || v.equals(CATCH_ALL);
    }
    if (value instanceof ArrayInitializerExpr arr) {
      return arr.getValues().stream().anyMatch(v -> suppresses(v, rule));
    }
    return false;
  }
}
