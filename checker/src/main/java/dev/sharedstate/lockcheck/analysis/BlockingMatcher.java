package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import dev.sharedstate.lockcheck.types.SourceTypeInfo;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.blocking.Catalogue;
import dev.sharedstate.lockcheck.blocking.LibraryGate;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.TypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches calls against the blocking catalogue: first by name and argument count (free), then by the
 * receiver's static type and its supertypes (resolved only for those candidates). A receiver whose
 * type cannot be resolved matches only when the name it was declared with ends with the catalogued
 * owner's simple name ({@code ListenableFuture} for {@code Future}), and never for a library unit's
 * entry (those types are known by qualified name, see {@code DeclaredTypes}); an unknown one never
 * matches. An entry's {@code unlessArgument} types rule out the asynchronous overloads.
 */
final class BlockingMatcher {

  private static final String OBJECT = "java.lang.Object";

  private final Catalogue catalogue;
  private final ExprTyper typer;

  BlockingMatcher(Catalogue catalogue, ExprTyper typer) {
    this.catalogue = catalogue;
    this.typer = typer;
  }

  /** A match, and whether the type was only matched by name. */
  record Match(BlockingMethod method, JType receiver, boolean byNameOnly) {}

  /** Catalogue entries a call could be, by name and arity alone. */
  List<BlockingMethod> candidates(String name, int argCount) {
    List<BlockingMethod> named = catalogue.blockingNamed(name);
    if (named.isEmpty()) {
      return named;
    }
    List<BlockingMethod> out = new ArrayList<>(named.size());
    for (BlockingMethod m : named) {
      if (m.acceptsArity(argCount)) {
        out.add(m);
      }
    }
    return out;
  }

  Optional<Match> match(MethodCallExpr call) {
    List<BlockingMethod> cands = candidates(call.getNameAsString(), call.getArguments().size());
    if (cands.isEmpty()) {
      return Optional.empty();
    }
    if (!fitsObjectWait(call)) {
      cands = cands.stream().filter(m -> !m.owner().equals(OBJECT)).toList();
      if (cands.isEmpty()) {
        return Optional.empty();
      }
    }
    cands = inLibraryFiles(call, cands);
    if (cands.isEmpty()) {
      return Optional.empty();
    }
    cands = withoutCallbackOverloads(call.getArguments(), cands);
    if (cands.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < cands.size(); i++) {
      BlockingMethod m = cands.get(i);
      if (m.isConstructor() || hostLiteral(m, call.getArguments())) {
        List<BlockingMethod> kept = new ArrayList<>(cands);
        kept.removeIf(x -> x.isConstructor() || hostLiteral(x, call.getArguments()));
        cands = kept;
        break;
      }
    }
    if (cands.isEmpty()) {
      return Optional.empty();
    }
    TypeDeclaration<?> self = ownImplementationHolder(call);
    if (self != null) {
      // the class's own body runs; it is the catalogued method itself only when the class is the owner
      String name = self.getFullyQualifiedName().orElse(null);
      for (BlockingMethod m : cands) {
        if (m.owner().equals(name)) {
          return Optional.of(new Match(m, JType.of(name), false));
        }
      }
      return Optional.empty();
    }
    JType receiver = typer.receiverType(call);
    Optional<Match> m = matchType(receiver, cands, call.getScope().isEmpty());
    if (m.isPresent() && inNonBlockingChannelFile(call) && isSelectableChannel(m.get().method().owner())) {
      return Optional.empty();
    }
    return m;
  }

  /**
   * A constructor entry ({@code "method": "new"}) for {@code new X(..)}: the created type must be the
   * entry's owner itself (a subclass's constructor is its own code, which the call follower reads), or
   * an anonymous subclass of it (its constructor is the owner's). Argument counts, library gates and
   * {@code unlessArgument} apply as for methods.
   */
  Optional<Match> matchNew(ObjectCreationExpr o) {
    if (!namesAnOwner(o.getType().getNameAsString(), o.getArguments().size())) {
      return Optional.empty(); // by simple name first: resolving every new under a lock costs
    }
    return matchNew(o, typer.context().resolve(o.getType()), o.getArguments());
  }

  /**
   * A subclass constructor's {@code super(..)} call of a catalogued constructor ({@code class
   * PeerSocket extends Socket { PeerSocket(String h, int p) { super(h, p); } }} connects).
   */
  Optional<Match> matchSuper(com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt ec) {
    if (ec.isThis() || candidates(BlockingMethod.NEW, ec.getArguments().size()).isEmpty()) {
      return Optional.empty();
    }
    Node a = ec.getParentNode().orElse(null);
    while (a != null && !(a instanceof com.github.javaparser.ast.body.ClassOrInterfaceDeclaration)) {
      a = a.getParentNode().orElse(null);
    }
    if (!(a instanceof com.github.javaparser.ast.body.ClassOrInterfaceDeclaration cd) || cd.getExtendedTypes().isEmpty()
        || !namesAnOwner(cd.getExtendedTypes().get(0).getNameAsString(), ec.getArguments().size())) {
      return Optional.empty();
    }
    return matchNew(ec, typer.context().resolve(cd.getExtendedTypes().get(0)), ec.getArguments());
  }

  private Optional<Match> matchNew(Node at, JType created, List<Expression> args) {
    List<BlockingMethod> cands = candidates(BlockingMethod.NEW, args.size());
    cands = inLibraryFiles(at, cands);
    if (cands.isEmpty()) {
      return Optional.empty();
    }
    cands = withoutCallbackOverloads(args, cands);
    for (BlockingMethod m : cands) {
      if (created.kind() == JType.Kind.CLASS && created.dims() == 0 && created.name().equals(m.owner())) {
        return hostLiteral(m, args) ? Optional.empty() : Optional.of(new Match(m, created, false));
      }
      if (created.kind() == JType.Kind.UNRESOLVED && m.byNameWhenUnresolved()
          && created.simpleName().equals(m.owner().substring(m.owner().lastIndexOf('.') + 1))) {
        return hostLiteral(m, args) ? Optional.empty() : Optional.of(new Match(m, created, true));
      }
    }
    return Optional.empty();
  }

  /** A constructor entry of this arity whose owner has this simple name. */
  private boolean namesAnOwner(String simple, int args) {
    for (BlockingMethod m : candidates(BlockingMethod.NEW, args)) {
      String owner = m.owner();
      if (owner.endsWith(simple) && (owner.length() == simple.length() || owner.charAt(owner.length() - simple.length() - 1) == '.')) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the entry's host argument is an IP address literal, or {@code null}: no name is looked up
   * ({@code InetAddress.getByName("127.0.0.1")}, {@code new InetSocketAddress("10.0.0.1", 80)}). A
   * string constant (a {@code final} variable or field of this file initialised with such a literal)
   * counts too.
   */
  boolean hostLiteral(BlockingMethod m, List<Expression> args) {
    if (m.hostArgument() < 0 || m.hostArgument() >= args.size()) {
      return false;
    }
    Expression a = args.get(m.hostArgument());
    while (a instanceof EnclosedExpr e) {
      a = e.getInner();
    }
    if (a instanceof NullLiteralExpr) {
      return true;
    }
    if (a instanceof NameExpr n) {
      a = typer.declarationOf(n.getNameAsString(), n)
          .flatMap(d -> d instanceof ExprTyper.Decl.Variable v && isFinal(v.declarator())
              ? v.declarator().getInitializer() : Optional.empty())
          .orElse(null);
    }
    return a instanceof StringLiteralExpr s && IpLiteral.is(s.asString());
  }

  private static boolean isFinal(VariableDeclarator d) {
    return d.getParentNode().orElse(null) instanceof com.github.javaparser.ast.nodeTypes.NodeWithModifiers<?> w
        && w.hasModifier(com.github.javaparser.ast.Modifier.Keyword.FINAL);
  }

  /**
   * Drops the library entries of a file that names none of the library's packages ({@link LibraryGate}),
   * unless the receiver is a {@code var} local whose type (resolved, only then) is in one of them: a
   * library type can reach a file through {@code var x = helper.limiter()} without the file naming it.
   */
  private List<BlockingMethod> inLibraryFiles(Node call, List<BlockingMethod> cands) {
    List<BlockingMethod> out = null;
    String varType = null;
    for (int i = 0; i < cands.size(); i++) {
      BlockingMethod m = cands.get(i);
      BlockingMethod.Gate g = m.gate();
      boolean closed = g != BlockingMethod.Gate.NONE && !LibraryGate.open(call, g.packages(), g.suffixes());
      if (closed && call instanceof MethodCallExpr mc) {
        if (varType == null) {
          varType = varLocalType(mc);
        }
        closed = !inPackages(varType, g.packages());
      }
      if (closed) {
        if (out == null) {
          out = new ArrayList<>(cands.subList(0, i));
        }
      } else if (out != null) {
        out.add(m);
      }
    }
    return out == null ? cands : out;
  }

  /** The qualified type of a call's receiver when it is a {@code var} local; "" otherwise. */
  private String varLocalType(MethodCallExpr call) {
    if (!(call.getScope().orElse(null) instanceof NameExpr n) || !LibraryGate.mayBeVarLocal(call, n.getNameAsString())) {
      return "";
    }
    Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
    if (d.isEmpty() || !(d.get() instanceof ExprTyper.Decl.Variable v) || v.isField()
        || !v.declarator().getType().isVarType()) {
      return "";
    }
    JType t = typer.typeOf(n);
    return t.kind() == JType.Kind.CLASS && t.dims() == 0 ? t.name() : "";
  }

  private static boolean inPackages(String type, List<String> packages) {
    for (String p : packages) {
      if (type.startsWith(p) && type.length() > p.length() && type.charAt(p.length()) == '.') {
        return true;
      }
    }
    return false;
  }

  /**
   * Drops the entries whose {@code unlessArgument} types one of the call's arguments has: the
   * asynchronous overloads that take a callback ({@code zk.exists(path, watch, cb, ctx)}). A lambda
   * or method reference argument counts as such a callback; an argument of unknown type does not.
   */
  private List<BlockingMethod> withoutCallbackOverloads(List<Expression> args, List<BlockingMethod> cands) {
    List<BlockingMethod> out = null;
    for (int i = 0; i < cands.size(); i++) {
      BlockingMethod m = cands.get(i);
      if (!m.unlessArgument().isEmpty() && hasArgumentOf(args, m.unlessArgument())) {
        if (out == null) {
          out = new ArrayList<>(cands.subList(0, i));
        }
      } else if (out != null) {
        out.add(m);
      }
    }
    return out == null ? cands : out;
  }

  private boolean hasArgumentOf(List<Expression> args, List<String> types) {
    for (var arg : args) {
      if (arg.isLambdaExpr() || arg.isMethodReferenceExpr()) {
        return true;
      }
      JType t = typer.typeOf(arg);
      for (String type : types) {
        if (typer.isSubtype(t, type)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The call's file puts channels in non-blocking mode ({@link Parsers#NON_BLOCKING_CHANNELS}). */
  private static boolean inNonBlockingChannelFile(MethodCallExpr call) {
    return call.findCompilationUnit()
        .filter(cu -> cu.containsData(Parsers.NON_BLOCKING_CHANNELS))
        .map(cu -> cu.getData(Parsers.NON_BLOCKING_CHANNELS))
        .orElse(false);
  }

  private boolean isSelectableChannel(String owner) {
    return typer.isSubtype(JType.of(owner), "java.nio.channels.SelectableChannel");
  }

  /**
   * False when an argument's type rules out {@code Object.wait(long)} and {@code wait(long, int)}: the
   * call is then an overload of the class's own, such as commons-pool's {@code wait(Object, Duration)}
   * (Object's {@code wait} methods are final, so a declared {@code wait} is always another signature).
   * True when the arguments could be numbers, or their types are not known.
   */
  private boolean fitsObjectWait(MethodCallExpr call) {
    if (!call.getNameAsString().equals("wait")) {
      return true;
    }
    for (var arg : call.getArguments()) {
      JType t = typer.typeOf(arg);
      boolean notANumber = switch (t.kind()) {
        case PRIMITIVE -> t.dims() > 0 || t.name().equals("boolean") || t.name().equals("float")
            || t.name().equals("double");
        case CLASS -> t.dims() > 0 || !INTEGRAL_BOXES.contains(t.name());
        default -> false;
      };
      if (notANumber) {
        return false;
      }
    }
    return true;
  }

  private static final java.util.Set<String> INTEGRAL_BOXES = java.util.Set.of(
      "java.lang.Long", "java.lang.Integer", "java.lang.Short", "java.lang.Byte", "java.lang.Character");

  /**
   * The class, when the call is {@code connect()} or {@code this.connect()} inside a class that
   * implements {@code connect()} itself: what runs is that body, not the catalogued contract (a file
   * URLConnection's connect does not touch the network); the call follower follows the body. Null
   * otherwise (another receiver, {@code wait()}, an anonymous class, no own implementation).
   */
  private TypeDeclaration<?> ownImplementationHolder(MethodCallExpr call) {
    boolean onThis = call.getScope().isEmpty()
        || (call.getScope().get() instanceof ThisExpr t && t.getTypeName().isEmpty());
    if (!onThis || call.getNameAsString().equals("wait")) {
      return null;
    }
    for (Node a = call.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> td) {
        SourceTypeInfo info = typer.context().typeInfo(td);
        int arity = call.getArguments().size();
        boolean implemented = info.methodDeclarations(call.getNameAsString()).stream()
            .anyMatch(m -> m.getBody().isPresent() && m.getParameters().size() == arity);
        return implemented ? td : null;
      }
      if (a instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent()) {
        return null;
      }
    }
    return null;
  }

  private boolean isInterface(JType t) {
    return typer.context().lookup(t.name()).map(TypeInfo::isInterface).orElse(false);
  }

  Optional<Match> matchType(JType receiver, List<BlockingMethod> cands, boolean implicitThis) {
    for (BlockingMethod m : cands) {
      if (m.owner().equals(OBJECT)) {
        // wait() is final on Object: every receiver has it
        return Optional.of(new Match(m, receiver, false));
      }
    }
    if (receiver.kind() == JType.Kind.CLASS && receiver.dims() == 0) {
      for (BlockingMethod m : cands) {
        if (typer.isSubtype(receiver, m.owner()) && (!m.interfaceOnly() || isInterface(receiver))
            && m.notFor().stream().noneMatch(t -> typer.isSubtype(receiver, t))) {
          return Optional.of(new Match(m, receiver, false));
        }
      }
      return Optional.empty();
    }
    if (receiver.kind() == JType.Kind.UNRESOLVED && receiver.dims() == 0 && !implicitThis) {
      String simple = receiver.simpleName();
      for (BlockingMethod m : cands) {
        String owner = m.owner().substring(m.owner().lastIndexOf('.') + 1);
        if (m.byNameWhenUnresolved() && simple.endsWith(owner)) {
          return Optional.of(new Match(m, receiver, true));
        }
      }
    }
    return Optional.empty();
  }
}
