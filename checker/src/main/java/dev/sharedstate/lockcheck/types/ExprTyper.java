package dev.sharedstate.lockcheck.types;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.PatternExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.UnknownType;
import com.github.javaparser.ast.type.VarType;
import java.util.List;
import java.util.Optional;

/**
 * The declared-type lookup lockcheck uses instead of a full symbol solver: the static type of an
 * expression from the declarations in scope (locals, parameters, lambda parameters, fields, imports),
 * generic methods of the class path and the sources, and the functional-interface parameter types of a
 * lambda passed to a known method. It answers {@link JType#UNKNOWN} rather than guess. Per file; not
 * thread-safe (one file is analysed by one thread).
 */
public final class ExprTyper {

  private static final int MAX_DEPTH = 12;
  private final FileContext ctx;
  private final TypeUniverse universe;
  private int depth;

  public ExprTyper(FileContext ctx) {
    this.ctx = ctx;
    this.universe = ctx.universe();
  }

  public FileContext context() {
    return ctx;
  }

  /** What a simple name refers to at a position. */
  public sealed interface Decl {
    /** A local variable, field, resource or for variable, with its declarator. */
    record Variable(VariableDeclarator declarator, boolean isField) implements Decl {}

    /** A method, constructor, catch or record parameter. */
    record Param(Parameter parameter) implements Decl {}

    /** A lambda parameter (its type may have to be inferred). */
    record LambdaParam(LambdaExpr lambda, int index) implements Decl {}

    /** A pattern variable ({@code o instanceof Foo f}). */
    record Pattern(TypePatternExpr pattern) implements Decl {}

    /** A for-each variable. */
    record ForEachVar(ForEachStmt loop) implements Decl {}

    /** A field of a supertype from the class path or another file. */
    record InheritedField(JType type) implements Decl {}
  }

  /** The declaration the simple name {@code name} refers to at {@code at}, innermost first. */
  public Optional<Decl> declarationOf(String name, Node at) {
    Node child = at;
    for (Node parent = at.getParentNode().orElse(null); parent != null;
        child = parent, parent = parent.getParentNode().orElse(null)) {
      Optional<Decl> d = declaredIn(name, parent, child);
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  private Optional<Decl> declaredIn(String name, Node parent, Node child) {
    switch (parent) {
      case BlockStmt b -> {
        return inStatementsBefore(name, b.getStatements(), child);
      }
      case SwitchEntry e -> {
        for (Expression label : e.getLabels()) {
          Optional<Decl> p = patternIn(name, label);
          if (p.isPresent()) {
            return p;
          }
        }
        return inStatementsBefore(name, e.getStatements(), child);
      }
      case SwitchStmt sw -> {
        // JLS 6.3.2.6: a local of a statement group is in scope in the rest of the switch block
        if (!(child instanceof SwitchEntry entry) || entry.getType() != SwitchEntry.Type.STATEMENT_GROUP) {
          return Optional.empty();
        }
        Optional<Decl> found = Optional.empty();
        for (SwitchEntry earlier : sw.getEntries()) {
          if (earlier == entry) {
            break;
          }
          if (earlier.getType() == SwitchEntry.Type.STATEMENT_GROUP) {
            Optional<Decl> d = inStatementsBefore(name, earlier.getStatements(), null);
            if (d.isPresent()) {
              found = d;
            }
          }
        }
        return found;
      }
      case ForStmt f -> {
        for (Expression init : f.getInitialization()) {
          if (init instanceof VariableDeclarationExpr v) {
            for (VariableDeclarator d : v.getVariables()) {
              if (d.getNameAsString().equals(name)) {
                return Optional.of(new Decl.Variable(d, false));
              }
            }
          }
        }
        return Optional.empty();
      }
      case ForEachStmt fe -> {
        if (child != fe.getIterable()) {
          for (VariableDeclarator d : fe.getVariable().getVariables()) {
            if (d.getNameAsString().equals(name)) {
              return Optional.of(new Decl.ForEachVar(fe));
            }
          }
        }
        return Optional.empty();
      }
      case TryStmt t -> {
        // resources are in scope in the later resources and the try block, not in catch or finally
        if (child instanceof CatchClause || child == t.getFinallyBlock().orElse(null)) {
          return Optional.empty();
        }
        for (Expression r : t.getResources()) {
          if (r == child) {
            break;
          }
          if (r instanceof VariableDeclarationExpr v) {
            for (VariableDeclarator d : v.getVariables()) {
              if (d.getNameAsString().equals(name)) {
                return Optional.of(new Decl.Variable(d, false));
              }
            }
          }
        }
        return Optional.empty();
      }
      case CatchClause c -> {
        return c.getParameter().getNameAsString().equals(name)
            ? Optional.of(new Decl.Param(c.getParameter())) : Optional.empty();
      }
      case LambdaExpr l -> {
        NodeList<Parameter> ps = l.getParameters();
        for (int i = 0; i < ps.size(); i++) {
          if (ps.get(i).getNameAsString().equals(name)) {
            return Optional.of(new Decl.LambdaParam(l, i));
          }
        }
        return Optional.empty();
      }
      case CallableDeclaration<?> m -> {
        for (Parameter p : m.getParameters()) {
          if (p.getNameAsString().equals(name)) {
            return Optional.of(new Decl.Param(p));
          }
        }
        return Optional.empty();
      }
      case IfStmt i -> {
        // JLS 6.3.2.2: a pattern is in scope where its test holds: then for `instanceof`, else for `!`
        if (child == i.getCondition()) {
          return Optional.empty();
        }
        return patternIn(name, i.getCondition(), child == i.getThenStmt());
      }
      case WhileStmt w -> {
        return child != w.getCondition() ? patternIn(name, w.getCondition(), true) : Optional.empty();
      }
      case ConditionalExpr c -> {
        return child != c.getCondition() ? patternIn(name, c.getCondition(), child == c.getThenExpr()) : Optional.empty();
      }
      case EnumConstantDeclaration ec -> {
        // the fields of an enum constant's body shadow the enum's
        for (var m : ec.getClassBody()) {
          if (m instanceof FieldDeclaration f) {
            for (VariableDeclarator v : f.getVariables()) {
              if (v.getNameAsString().equals(name)) {
                return Optional.of(new Decl.Variable(v, true));
              }
            }
          }
        }
        return Optional.empty();
      }
      case BinaryExpr b -> {
        return child == b.getRight() ? patternIn(name, b.getLeft()) : Optional.empty();
      }
      case TypeDeclaration<?> td -> {
        return fieldIn(name, ctx.typeInfo(td));
      }
      case ObjectCreationExpr o -> {
        return o.getAnonymousClassBody().isPresent() && child != o.getScope().orElse(null)
            && o.getArguments().stream().noneMatch(x -> x == child) ? fieldIn(name, ctx.typeInfo(o)) : Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private Optional<Decl> fieldIn(String name, SourceTypeInfo type) {
    Optional<VariableDeclarator> own = type.fieldDeclarator(name);
    if (own.isPresent()) {
      return Optional.of(new Decl.Variable(own.get(), true));
    }
    if (type.declaration() instanceof RecordDeclaration r) {
      for (Parameter p : r.getParameters()) {
        if (p.getNameAsString().equals(name)) {
          return Optional.of(new Decl.Param(p));
        }
      }
    }
    Optional<JType> enumConst = type.fieldType(name);
    if (enumConst.isPresent()) {
      return Optional.of(new Decl.InheritedField(enumConst.get()));
    }
    for (JType s : type.directSupertypes()) {
      Optional<JType> f = universe.fieldType(s, name, ctx);
      if (f.isPresent()) {
        return Optional.of(new Decl.InheritedField(f.get()));
      }
    }
    return Optional.empty();
  }

  /** Declarations among {@code stmts} before {@code child} (all of them when child is null). */
  private Optional<Decl> inStatementsBefore(String name, NodeList<Statement> stmts, Node child) {
    for (Statement s : stmts) {
      if (s == child) {
        break;
      }
      if (s instanceof ExpressionStmt es && es.getExpression() instanceof VariableDeclarationExpr v) {
        for (VariableDeclarator d : v.getVariables()) {
          if (d.getNameAsString().equals(name)) {
            return Optional.of(new Decl.Variable(d, false));
          }
        }
      } else if (s instanceof IfStmt i) {
        // if (!(o instanceof Foo f)) return;  f is in scope after the if
        Optional<Decl> p = patternIn(name, i.getCondition(), false);
        if (p.isPresent()) {
          return p;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Decl> patternIn(String name, Expression e) {
    for (PatternExpr p : e.findAll(PatternExpr.class)) {
      if (p instanceof TypePatternExpr tp && tp.getNameAsString().equals(name)) {
        return Optional.of(new Decl.Pattern(tp));
      }
    }
    return Optional.empty();
  }

  /**
   * A pattern variable of the condition {@code e} in scope where the condition is {@code whenTrue}:
   * one under an even number of {@code !} is introduced when it is true, under an odd number when
   * it is false (an approximation of JLS 6.3.1 that ignores how {@code &&} and {@code ||} combine).
   */
  private static Optional<Decl> patternIn(String name, Expression e, boolean whenTrue) {
    for (PatternExpr p : e.findAll(PatternExpr.class)) {
      if (p instanceof TypePatternExpr tp && tp.getNameAsString().equals(name)) {
        int negations = 0;
        for (Node a = tp.getParentNode().orElse(null); a != null && a != e.getParentNode().orElse(null);
            a = a.getParentNode().orElse(null)) {
          if (a instanceof com.github.javaparser.ast.expr.UnaryExpr u
              && u.getOperator() == com.github.javaparser.ast.expr.UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            negations++;
          }
        }
        if ((negations % 2 == 0) == whenTrue) {
          return Optional.of(new Decl.Pattern(tp));
        }
      }
    }
    return Optional.empty();
  }

  /** The type of a declaration. */
  public JType typeOf(Decl d) {
    return switch (d) {
      case Decl.Variable v -> {
        if (v.declarator().getType() instanceof VarType) {
          yield v.declarator().getInitializer().map(this::typeOf).orElse(JType.UNKNOWN);
        }
        JType t = ctx.resolve(v.declarator().getType());
        yield t;
      }
      case Decl.Param p -> p.parameter().getType() instanceof UnknownType || p.parameter().getType() instanceof VarType
          ? JType.UNKNOWN : varArgs(p.parameter(), ctx.resolve(p.parameter().getType()));
      case Decl.LambdaParam lp -> lambdaParam(lp.lambda(), lp.index());
      case Decl.Pattern p -> ctx.resolve(p.pattern().getType());
      case Decl.ForEachVar fe -> {
        VariableDeclarator v = fe.loop().getVariable().getVariables().get(0);
        if (!(v.getType() instanceof VarType)) {
          yield ctx.resolve(v.getType());
        }
        yield elementType(typeOf(fe.loop().getIterable()));
      }
      case Decl.InheritedField f -> f.type();
    };
  }

  private static JType varArgs(Parameter p, JType t) {
    return p.isVarArgs() ? t.withDims(t.dims() + 1) : t;
  }

  /** The element type of an array or an {@code Iterable}. */
  public JType elementType(JType t) {
    if (t.dims() > 0) {
      return t.component();
    }
    JType it = universe.asSuper(t, "java.lang.Iterable", ctx);
    return it != null && it.args().size() == 1 ? it.args().get(0) : JType.UNKNOWN;
  }

  /** The type of a lambda's parameter, inferred from the method it is passed to where possible. */
  public JType lambdaParam(LambdaExpr lambda, int index) {
    Parameter p = lambda.getParameters().get(index);
    if (!(p.getType() instanceof UnknownType) && !(p.getType() instanceof VarType)) {
      return ctx.resolve(p.getType());
    }
    Node parent = lambda.getParentNode().orElse(null);
    if (!(parent instanceof MethodCallExpr call)) {
      return JType.UNKNOWN;
    }
    int argIndex = call.getArguments().indexOf(lambda);
    if (argIndex < 0) {
      return JType.UNKNOWN;
    }
    for (TypeUniverse.FoundMethod m : methodsOf(call)) {
      JType fi = m.parameterType(argIndex);
      Optional<List<JType>> params = universe.functionParameters(fi, ctx);
      if (params.isPresent() && params.get().size() == lambda.getParameters().size()) {
        return params.get().get(index);
      }
    }
    return JType.UNKNOWN;
  }

  /** Candidate declarations of the method a call invokes (empty when the receiver is unknown). */
  public List<TypeUniverse.FoundMethod> methodsOf(MethodCallExpr call) {
    JType receiver = receiverType(call);
    if (receiver.kind() != JType.Kind.CLASS) {
      return List.of();
    }
    return universe.findMethods(receiver, call.getNameAsString(), call.getArguments().size(), ctx);
  }

  /**
   * The static type a call is made on: its scope's type, or for an unqualified call the innermost
   * enclosing class declaring (or inheriting) the method, or a static import's owner.
   */
  public JType receiverType(MethodCallExpr call) {
    if (call.getScope().isPresent()) {
      return scopeType(call.getScope().get());
    }
    String name = call.getNameAsString();
    int arity = call.getArguments().size();
    for (Node a = call.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> || (a instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent())) {
        SourceTypeInfo info = ctx.typeInfo(a);
        JType self = JType.of(info.qualifiedName());
        if (!universe.findMethods(self, name, arity, ctx).isEmpty()) {
          return self;
        }
      }
    }
    Optional<String> owner = ctx.staticImportOwner(name);
    if (owner.isPresent()) {
      return JType.of(owner.get());
    }
    for (String o : ctx.staticOnDemandOwners()) {
      if (!universe.findMethods(JType.of(o), name, arity, ctx).isEmpty()) {
        return JType.of(o);
      }
    }
    return JType.UNKNOWN;
  }

  /** The type of an expression used as a call's scope: a value's type, or a type named for a static call. */
  public JType scopeType(Expression scope) {
    JType t = typeOf(scope);
    if (t.kind() != JType.Kind.UNKNOWN) {
      return t;
    }
    if (scope instanceof NameExpr n && declarationOf(n.getNameAsString(), n).isEmpty()) {
      return ctx.resolveName(n.getNameAsString(), n);
    }
    if (scope instanceof FieldAccessExpr f && looksLikeQualifiedName(f)) {
      return ctx.resolveName(f.toString(), f);
    }
    return JType.UNKNOWN;
  }

  private static boolean looksLikeQualifiedName(Expression e) {
    while (e instanceof FieldAccessExpr f) {
      e = f.getScope();
    }
    return e instanceof NameExpr;
  }

  /** The static type of an expression, or {@link JType#UNKNOWN}. */
  public JType typeOf(Expression e) {
    if (depth > MAX_DEPTH) {
      return JType.UNKNOWN;
    }
    depth++;
    try {
      return typeOf0(e);
    } catch (RuntimeException | StackOverflowError ex) {
      return JType.UNKNOWN;
    } finally {
      depth--;
    }
  }

  private JType typeOf0(Expression e) {
    return switch (e) {
      case NameExpr n -> declarationOf(n.getNameAsString(), n).map(this::typeOf).orElseGet(() -> staticField(n));
      case EnclosedExpr x -> typeOf(x.getInner());
      case CastExpr c -> ctx.resolve(c.getType());
      case ObjectCreationExpr o -> {
        JType t = ctx.resolve(o.getType());
        yield o.getAnonymousClassBody().isPresent() ? JType.of(ctx.typeInfo(o).qualifiedName()) : t;
      }
      case ThisExpr t -> t.getTypeName().map(n -> ctx.resolveName(n.asString(), t)).orElseGet(() -> enclosingType(t));
      case SuperExpr s -> {
        JType self = enclosingType(s);
        if (self.kind() != JType.Kind.CLASS) {
          yield JType.UNKNOWN;
        }
        yield ctx.lookup(self.name()).flatMap(i -> i.directSupertypes().stream().findFirst()).orElse(JType.UNKNOWN);
      }
      case FieldAccessExpr f -> {
        if (f.getNameAsString().equals("length")) {
          JType s = typeOf(f.getScope());
          if (s.dims() > 0) {
            yield JType.primitive("int");
          }
        }
        JType scope = scopeType(f.getScope());
        yield scope.kind() == JType.Kind.CLASS ? universe.fieldType(scope, f.getNameAsString(), ctx).orElse(JType.UNKNOWN) : JType.UNKNOWN;
      }
      case MethodCallExpr m -> {
        List<TypeUniverse.FoundMethod> ms = methodsOf(m);
        if (ms.isEmpty()) {
          yield JType.UNKNOWN;
        }
        JType r = ms.get(0).returnType();
        // getClass() and friends: a type variable left unbound is unknown, not Object
        yield r;
      }
      case ConditionalExpr c -> {
        JType t = typeOf(c.getThenExpr());
        yield t.isUnknown() ? typeOf(c.getElseExpr()) : t;
      }
      case ArrayAccessExpr a -> typeOf(a.getName()).component();
      case ArrayCreationExpr a -> {
        JType c = ctx.resolve(a.getElementType());
        yield c.withDims(c.dims() + a.getLevels().size());
      }
      case AssignExpr a -> typeOf(a.getTarget());
      case StringLiteralExpr s -> JType.of("java.lang.String");
      case TextBlockLiteralExpr s -> JType.of("java.lang.String");
      case ClassExpr c -> JType.of("java.lang.Class");
      case IntegerLiteralExpr i -> JType.primitive("int");
      case LongLiteralExpr l -> JType.primitive("long");
      case BooleanLiteralExpr b -> JType.primitive("boolean");
      case CharLiteralExpr c -> JType.primitive("char");
      case DoubleLiteralExpr d -> JType.primitive("double");
      default -> JType.UNKNOWN;
    };
  }

  private JType staticField(NameExpr n) {
    String name = n.getNameAsString();
    Optional<String> owner = ctx.staticImportOwner(name);
    if (owner.isPresent()) {
      return universe.fieldType(JType.of(owner.get()), name, ctx).orElse(JType.UNKNOWN);
    }
    for (String o : ctx.staticOnDemandOwners()) {
      Optional<JType> f = universe.fieldType(JType.of(o), name, ctx);
      if (f.isPresent()) {
        return f.get();
      }
    }
    return JType.UNKNOWN;
  }

  /** The innermost class (or anonymous class) around {@code n}. */
  public JType enclosingType(Node n) {
    for (Node a = n.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof TypeDeclaration<?> || (a instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent() && isInBody(o, n))) {
        return JType.of(ctx.typeInfo(a).qualifiedName());
      }
    }
    return JType.UNKNOWN;
  }

  private static boolean isInBody(ObjectCreationExpr o, Node n) {
    for (Node a = n; a != null && a != o; a = a.getParentNode().orElse(null)) {
      if (a.getParentNode().orElse(null) == o) {
        return o.getAnonymousClassBody().get().contains(a);
      }
    }
    return false;
  }

  /** True when {@code t} is {@code owner} or one of its subtypes. */
  public boolean isSubtype(JType t, String owner) {
    if (t.kind() != JType.Kind.CLASS || t.dims() > 0) {
      return false;
    }
    return universe.allSupertypes(t.name(), ctx).contains(owner);
  }

  /** True when a field of this file's types is declared with this declarator (used for aliases). */
  public static boolean isField(VariableDeclarator d) {
    return d.getParentNode().orElse(null) instanceof FieldDeclaration;
  }
}
