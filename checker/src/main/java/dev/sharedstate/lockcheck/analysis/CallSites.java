package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.SourceIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The call sites in the sources of a method or constructor, for following one of its parameters to
 * what its callers pass: a stream's origin ({@link StreamOrigins}), a URL's ({@link LocalUrls}). Files
 * are found by the method's name first ({@link SourceIndex#filesCalling}), then read for its class's
 * name, then parsed; a call counts when its receiver's type resolves to exactly this method. A
 * constructor's sites may include {@code this(..)} in its class and {@code super(..)} in a subclass.
 */
final class CallSites {

  private CallSites() {}

  /** What one call site passes at the parameter's position; return true to stop. */
  interface Visitor {
    boolean argument(Expression arg, ExprTyper typer, Path file, int line);
  }

  /** How a visit ended. */
  enum Outcome {
    /** Every call site in the sources was visited. */
    ALL,
    /** The visitor stopped it. */
    STOPPED,
    /** Not searched, or not every call could be told apart: constructors or overloads of the same arity, too many files. */
    INCOMPLETE
  }

  /**
   * Visits the call sites; {@code chained}: for a constructor, {@code this(..)} in its class and
   * {@code super(..)} in a subclass count too (a search that must see every caller needs them).
   */
  static Outcome visit(CallableDeclaration<?> md, int index, String declaring, FileAnalysis fa, boolean chained,
      Visitor visitor) {
    String name = md.getNameAsString();
    int arity = md.getParameters().size();
    if (md instanceof ConstructorDeclaration cd && cd.getParentNode().orElse(null) instanceof TypeDeclaration<?> td
        && td.getConstructors().stream().filter(c -> c.getParameters().size() == arity).count() != 1) {
      return Outcome.INCOMPLETE; // constructors of the same arity: not told apart here
    }
    var universe = fa.typer.context().universe();
    SourceIndex sources = universe.sources();
    if (sources == null) {
      return Outcome.INCOMPLETE;
    }
    List<Path> named = sources.filesCalling(name);
    if (named.size() > StreamOrigins.MAX_NAMED_FILES) {
      return Outcome.INCOMPLETE;
    }
    // a caller names the method's class somewhere (a declaration, an import, a getter's name such as
    // getZKDatabase()), or is its own file (implicit this): read, not parsed, to keep the search cheap
    String simple = declaring.substring(declaring.lastIndexOf('.') + 1);
    Path home = SourceIndex.fileOf(md.findCompilationUnit().orElseThrow()).orElse(null);
    List<Path> files = new ArrayList<>();
    for (Path f : named) {
      if (f.equals(home) || sources.textMentions(f, simple)) {
        files.add(f);
      }
    }
    if (chained && md instanceof ConstructorDeclaration) {
      // this(..) in the class itself, super(..) in a subclass: not indexed as calls by name
      if (home != null && !files.contains(home)) {
        files.add(home);
      }
      for (Path f : sources.filesNamingSupertype(simple)) {
        if (!files.contains(f)) {
          files.add(f);
        }
      }
    }
    if (files.size() > StreamOrigins.MAX_CALLER_FILES) {
      return Outcome.INCOMPLETE;
    }
    boolean complete = true;
    for (Path file : files) {
      var types = sources.typesIn(file);
      if (types.isEmpty()) {
        continue;
      }
      var ctx = types.iterator().next().context();
      ExprTyper there = null;
      if (md instanceof ConstructorDeclaration) {
        // new Sender(new DataOutputStream(socket.getOutputStream())): the constructor stored it in a field
        for (ObjectCreationExpr call : ctx.compilationUnit().findAll(ObjectCreationExpr.class,
            c -> c.getArguments().size() == arity && c.getType().getNameAsString().equals(name))) {
          if (there == null) {
            there = new ExprTyper(ctx);
          }
          JType made = there.context().resolve(call.getType());
          if (made.kind() != JType.Kind.CLASS || !made.name().equals(declaring)) {
            complete &= made.kind() == JType.Kind.CLASS;
            continue;
          }
          if (visitor.argument(call.getArgument(index), there, file, call.getBegin().map(b -> b.line).orElse(0))) {
            return Outcome.STOPPED;
          }
        }
        for (ExplicitConstructorInvocationStmt call : ctx.compilationUnit().findAll(ExplicitConstructorInvocationStmt.class,
            c -> chained && c.getArguments().size() == arity)) {
          if (there == null) {
            there = new ExprTyper(ctx);
          }
          if (!invokes(call, declaring, there) || call.getParentNode().orElse(null) == null) {
            continue;
          }
          if (call.findAncestor(ConstructorDeclaration.class).orElse(null) == md) {
            continue; // not a call of itself
          }
          if (visitor.argument(call.getArgument(index), there, file, call.getBegin().map(b -> b.line).orElse(0))) {
            return Outcome.STOPPED;
          }
        }
        continue;
      }
      for (MethodCallExpr call : ctx.compilationUnit().findAll(MethodCallExpr.class,
          c -> c.getArguments().size() == arity && c.getNameAsString().equals(name))) {
        if (there == null) {
          there = new ExprTyper(ctx);
        }
        JType receiver = there.receiverType(call);
        if (receiver.kind() != JType.Kind.CLASS || receiver.dims() > 0) {
          complete = false;
          continue;
        }
        var targets = universe.findMethods(receiver, name, arity, ctx);
        if (targets.size() != 1 || !targets.get(0).sig().declaringType().equals(declaring)) {
          // another method, or overloads of the same arity: not told apart here
          complete &= targets.stream().noneMatch(t -> t.sig().declaringType().equals(declaring));
          continue;
        }
        if (visitor.argument(call.getArgument(index), there, file, call.getBegin().map(b -> b.line).orElse(0))) {
          return Outcome.STOPPED;
        }
      }
    }
    return complete ? Outcome.ALL : Outcome.INCOMPLETE;
  }

  /** {@code this(..)} inside {@code declaring}, or {@code super(..)} in a class that extends it. */
  private static boolean invokes(ExplicitConstructorInvocationStmt call, String declaring, ExprTyper typer) {
    if (!(call.findAncestor(ClassOrInterfaceDeclaration.class).orElse(null) instanceof ClassOrInterfaceDeclaration cd)) {
      return false;
    }
    if (call.isThis()) {
      return declaring.equals(typer.context().qualifiedName(cd));
    }
    if (cd.getExtendedTypes().isEmpty()) {
      return false;
    }
    JType sup = typer.context().resolve(cd.getExtendedTypes().get(0));
    return sup.kind() == JType.Kind.CLASS && sup.name().equals(declaring);
  }
}
