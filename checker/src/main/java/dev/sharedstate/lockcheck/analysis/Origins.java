package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.stmt.ReturnStmt;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.source.Skeleton;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.FileContext;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.SourceIndex;
import dev.sharedstate.lockcheck.types.SourceTypeInfo;
import dev.sharedstate.lockcheck.types.TypeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a value may come from: the expressions a local variable, a field or a getter may hold, found
 * in the code that assigns it (issue 12, families 2 and 6). A local's values are its initialiser and
 * the assignments to it in its body; a field's are its initialiser and the assignments to it anywhere
 * in its class (constructors, methods, nested classes), matched by declaration, so a local or a
 * parameter of the same name does not count; a call to a method of the sources with a body stands for
 * what its {@code return} statements return. A value nothing more is known about (a parameter, a
 * library call, the depth bound) is returned as it is: callers decide what a value they do not
 * recognise means (a stream's origin: not blocking; a queue's capacity: bounded).
 *
 * <p>A file whose bodies were blanked before parsing ({@link Skeleton}) is parsed in full the first
 * time a field's assignments are needed, so a constructor that was blanked still counts.
 */
final class Origins {

  /** Steps through variables, fields and getters, at most. */
  static final int MAX_DEPTH = 6;

  /**
   * One value a variable may hold, with the typer of the file it is written in; {@code bound}: the
   * arguments a call passed to the parameters of the method whose {@code return} gave this value
   * (so a parameter read in it stands for what that call passed, not for every caller's argument).
   */
  record Value(Expression expr, ExprTyper typer, Path file, Map<Parameter, Value> bound) {
    Value(Expression expr, ExprTyper typer, Path file) {
      this(expr, typer, file, Map.of());
    }
  }

  private final FileAnalysis fa;
  private final Map<VariableDeclarator, List<Value>> fields = new IdentityHashMap<>();
  private ExprTyper fullTree;
  private boolean fullTreeTried;

  Origins(FileAnalysis fa) {
    this.fa = fa;
  }

  /** The values {@code e} may have, read in {@code typer}'s file. */
  List<Value> of(Expression e, ExprTyper typer, Path file) {
    return of(e, typer, file, Map.of());
  }

  /** The values {@code e} may have, read in {@code typer}'s file, its parameters bound as in {@code bound}. */
  List<Value> of(Expression e, ExprTyper typer, Path file, Map<Parameter, Value> bound) {
    List<Value> out = new ArrayList<>();
    collect(e, typer, file, 0, out, new java.util.HashSet<>(), bound);
    return out;
  }

  private void collect(Expression e, ExprTyper typer, Path file, int depth, List<Value> out, java.util.Set<Node> seen) {
    collect(e, typer, file, depth, out, seen, Map.of());
  }

  private void collect(Expression e, ExprTyper typer, Path file, int depth, List<Value> out, java.util.Set<Node> seen,
      Map<Parameter, Value> bound) {
    if (depth > MAX_DEPTH || !seen.add(e)) {
      out.add(new Value(e, typer, file, bound));
      return;
    }
    switch (e) {
      case EnclosedExpr x -> collect(x.getInner(), typer, file, depth, out, seen, bound);
      case CastExpr c -> collect(c.getExpression(), typer, file, depth, out, seen, bound);
      case ConditionalExpr c -> {
        collect(c.getThenExpr(), typer, file, depth, out, seen, bound);
        collect(c.getElseExpr(), typer, file, depth, out, seen, bound);
      }
      case AssignExpr a when a.getOperator() == AssignExpr.Operator.ASSIGN ->
          collect(a.getValue(), typer, file, depth, out, seen, bound);
      case NullLiteralExpr n -> { } // holds nothing
      case NameExpr n -> {
        Optional<ExprTyper.Decl> d = typer.declarationOf(n.getNameAsString(), n);
        if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Variable v) {
          List<Value> vs = v.isField() ? fieldValues(v.declarator(), typer, file)
              : localValues(v.declarator(), typer, file);
          for (Value value : vs) {
            collect(value.expr(), value.typer(), value.file(), depth + 1, out, seen, v.isField() ? Map.of() : bound);
          }
        } else if (d.isPresent() && d.get() instanceof ExprTyper.Decl.Param p && bound.containsKey(p.parameter())) {
          Value arg = bound.get(p.parameter());
          collect(arg.expr(), arg.typer(), arg.file(), depth + 1, out, seen, arg.bound());
        } else if (d.isPresent() && d.get() instanceof ExprTyper.Decl.InheritedField) {
          inheritedField(n.getNameAsString(), typer.enclosingType(n), typer, file, depth, out, seen, e);
        } else {
          out.add(new Value(e, typer, file, bound));
        }
      }
      case FieldAccessExpr f when f.getScope() instanceof ThisExpr -> {
        JType owner = typer.typeOf(f.getScope());
        inheritedField(f.getNameAsString(), owner, typer, file, depth, out, seen, e);
      }
      case FieldAccessExpr f -> {
        JType owner = typer.typeOf(f.getScope());
        if (owner.kind() == JType.Kind.CLASS) {
          inheritedField(f.getNameAsString(), owner, typer, file, depth, out, seen, e);
        } else {
          out.add(new Value(e, typer, file));
        }
      }
      case MethodCallExpr m -> {
        List<Value> returned = returnedBy(m, typer, file, bound);
        if (returned == null) {
          out.add(new Value(e, typer, file, bound));
        } else {
          for (Value r : returned) {
            collect(r.expr(), r.typer(), r.file(), depth + 1, out, seen, r.bound());
          }
        }
      }
      default -> out.add(new Value(e, typer, file, bound));
    }
  }

  /** A field named {@code name} of {@code owner} or a supertype declared in the sources: its values. */
  private void inheritedField(String name, JType owner, ExprTyper typer, Path file, int depth, List<Value> out,
      java.util.Set<Node> seen, Expression self) {
    if (owner.kind() == JType.Kind.CLASS) {
      for (String q : typer.context().universe().allSupertypes(owner.name(), typer.context())) {
        Optional<TypeInfo> t = typer.context().lookup(q);
        if (t.isPresent() && t.get() instanceof SourceTypeInfo s) {
          Optional<VariableDeclarator> d = s.fieldDeclarator(name);
          if (d.isPresent()) {
            ExprTyper there = s.context() == typer.context() ? typer : new ExprTyper(s.context());
            Path where = s.context() == typer.context() ? file
                : SourceIndex.fileOf(s.context().compilationUnit()).orElse(file);
            for (Value v : fieldValues(d.get(), there, where)) {
              collect(v.expr(), v.typer(), v.file(), depth + 1, out, seen);
            }
            return;
          }
        }
      }
    }
    out.add(new Value(self, typer, file));
  }

  /** A local variable's initialiser and the values assigned to it in its body. */
  private static List<Value> localValues(VariableDeclarator d, ExprTyper typer, Path file) {
    List<Value> out = new ArrayList<>();
    d.getInitializer().ifPresent(i -> out.add(new Value(i, typer, file)));
    Node body = null;
    for (Node a = d.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof CallableDeclaration<?> || a instanceof LambdaExpr || a instanceof InitializerDeclaration) {
        body = a;
        break;
      }
    }
    if (body != null) {
      for (AssignExpr a : body.findAll(AssignExpr.class)) {
        if (a.getOperator() == AssignExpr.Operator.ASSIGN && a.getTarget() instanceof NameExpr n
            && n.getNameAsString().equals(d.getNameAsString()) && declares(typer, n, d)) {
          out.add(new Value(a.getValue(), typer, file));
        }
      }
    }
    return out;
  }

  private static boolean declares(ExprTyper typer, NameExpr n, VariableDeclarator d) {
    return typer.declarationOf(n.getNameAsString(), n)
        .map(x -> x instanceof ExprTyper.Decl.Variable v && v.declarator() == d).orElse(false);
  }

  /** A field's initialiser and every value assigned to it in its class. */
  private List<Value> fieldValues(VariableDeclarator declared, ExprTyper typer, Path file) {
    VariableDeclarator d = declared;
    ExprTyper t = typer;
    if (isBlanked(d)) {
      Optional<VariableDeclarator> full = inFullTree(d);
      if (full.isPresent()) {
        d = full.get();
        t = fullTree;
      }
    }
    List<Value> known = fields.get(d);
    if (known != null) {
      return known;
    }
    List<Value> out = new ArrayList<>();
    fields.put(d, out); // a field assigned from itself ends here
    if (d.getInitializer().isPresent()) {
      out.add(new Value(d.getInitializer().get(), t, file));
    }
    TypeDeclaration<?> owner = d.findAncestor(FieldDeclaration.class).flatMap(f -> f.findAncestor(TypeDeclaration.class))
        .map(x -> (TypeDeclaration<?>) x).orElse(null);
    if (owner == null) {
      return out;
    }
    String name = d.getNameAsString();
    String ownerName = t.context().qualifiedName(owner);
    for (AssignExpr a : owner.findAll(AssignExpr.class)) {
      if (a.getOperator() != AssignExpr.Operator.ASSIGN) {
        continue;
      }
      Expression target = a.getTarget();
      boolean same = switch (target) {
        case NameExpr n -> n.getNameAsString().equals(name) && declares(t, n, d);
        case FieldAccessExpr f -> f.getNameAsString().equals(name) && t.typeOf(f.getScope()).kind() == JType.Kind.CLASS
            && t.typeOf(f.getScope()).name().equals(ownerName);
        default -> false;
      };
      if (same) {
        out.add(new Value(a.getValue(), t, file));
      }
    }
    return out;
  }

  /**
   * The values a call to a method of the sources may return: its {@code return} statements' values;
   * null when the call is not to exactly one source method with a body (a library method, an abstract
   * one, overloads of the same arity).
   */
  private List<Value> returnedBy(MethodCallExpr m, ExprTyper typer, Path file, Map<Parameter, Value> callerBound) {
    JType receiver = typer.receiverType(m);
    if (receiver.kind() != JType.Kind.CLASS || receiver.dims() > 0) {
      return null;
    }
    String name = m.getNameAsString();
    int arity = m.getArguments().size();
    var found = typer.context().universe().findMethods(receiver, name, arity, typer.context());
    if (found.size() != 1 || !(typer.context().lookup(found.get(0).sig().declaringType()).orElse(null)
        instanceof SourceTypeInfo owner)) {
      return null;
    }
    List<MethodDeclaration> mds = owner.methodDeclarations(name).stream()
        .filter(md -> md.getParameters().size() == arity).toList();
    if (mds.size() != 1 || mds.get(0).getBody().isEmpty()) {
      return null;
    }
    MethodDeclaration md = mds.get(0);
    ExprTyper there = owner.context() == typer.context() ? typer : new ExprTyper(owner.context());
    Path where = owner.context() == typer.context() ? file
        : SourceIndex.fileOf(owner.context().compilationUnit()).orElse(file);
    Map<Parameter, Value> bound = new IdentityHashMap<>();
    if (md.getParameters().stream().noneMatch(com.github.javaparser.ast.body.Parameter::isVarArgs)) { // each parameter is the call's argument at its position
      for (int i = 0; i < arity; i++) {
        bound.put(md.getParameter(i), new Value(m.getArgument(i), typer, file, callerBound));
      }
    }
    List<Value> out = new ArrayList<>();
    for (ReturnStmt r : md.getBody().get().findAll(ReturnStmt.class)) {
      if (r.getExpression().isPresent() && enclosingCallable(r) == md) {
        out.add(new Value(r.getExpression().get(), there, where, bound));
      }
    }
    return out;
  }

  private static Node enclosingCallable(Node n) {
    for (Node a = n.getParentNode().orElse(null); a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof CallableDeclaration<?> || a instanceof LambdaExpr) {
        return a;
      }
    }
    return null;
  }

  private static boolean isBlanked(Node n) {
    return n.findCompilationUnit().map(cu -> cu.containsData(Skeleton.BLANKED) && cu.containsData(FileAnalysis.FULL_TEXT))
        .orElse(false);
  }

  /** The same declarator in the file's full tree (parsed once, when first needed). */
  private Optional<VariableDeclarator> inFullTree(VariableDeclarator d) {
    if (!fullTreeTried) {
      fullTreeTried = true;
      CompilationUnit blanked = d.findCompilationUnit().orElse(null);
      if (blanked != null) {
        ParseResult<CompilationUnit> r = Parsers.parse(blanked.getData(FileAnalysis.FULL_TEXT));
        if (r.getResult().isPresent()) {
          SourceIndex.setFile(r.getResult().get(), fa.file());
          FileContext ctx = new FileContext(r.getResult().get(), fa.typer.context().universe());
          fullTree = new ExprTyper(ctx);
        }
      }
    }
    if (fullTree == null || d.getBegin().isEmpty()) {
      return Optional.empty();
    }
    var at = d.getBegin().get();
    return fullTree.context().compilationUnit().findFirst(VariableDeclarator.class,
        v -> v.getBegin().isPresent() && v.getBegin().get().equals(at) && v.getNameAsString().equals(d.getNameAsString()));
  }
}
