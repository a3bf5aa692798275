package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.stmt.IfStmt;
import dev.sharedstate.lockcheck.source.Parsers;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A helper that computes a value once and keeps it in a field blocks on its first call only
 * (issue 12, found on Cassandra: {@code FBUtilities.getJustLocalAddress()} caches
 * {@code InetAddress.getLocalHost()} in a static field, and 80 callers under locks were reported
 * through it). The shape: the blocking call sits in the branch of {@code if (F == null)} (alone or in
 * a conjunction) that assigns {@code F}, where {@code F} is a field of the enclosing class that no code
 * in the file sets back to {@code null}. A field reset to {@code null} (a connection dropped on error,
 * a configuration reloaded) makes the branch run again, so it is not such a cache. Applied to helpers'
 * summaries only: a body that holds a lock itself and fills its cache under it is still reported.
 */
final class LazyInit {

  private LazyInit() {}

  /** {@code at} runs inside a fill-once branch of a field cache, within its own method. */
  static boolean onceOnly(Node at) {
    Node child = at;
    for (Node a = at.getParentNode().orElse(null); a != null; child = a, a = a.getParentNode().orElse(null)) {
      if (a instanceof IfStmt i && child == i.getThenStmt()) {
        for (String field : nullTested(i.getCondition(), new HashSet<>())) {
          if (assigns(i.getThenStmt(), field) && isField(i, field) && !resetToNull(i, field)) {
            return true;
          }
        }
      }
      if (a instanceof CallableDeclaration<?> || a instanceof LambdaExpr) {
        return false;
      }
    }
    return false;
  }

  /** The names {@code F} the condition requires to be null ({@code F == null}, {@code this.F == null}, conjuncts). */
  private static Set<String> nullTested(Expression c, Set<String> into) {
    switch (c) {
      case EnclosedExpr e -> nullTested(e.getInner(), into);
      case BinaryExpr b when b.getOperator() == BinaryExpr.Operator.AND -> {
        nullTested(b.getLeft(), into);
        nullTested(b.getRight(), into);
      }
      case BinaryExpr b when b.getOperator() == BinaryExpr.Operator.EQUALS -> {
        if (b.getRight() instanceof NullLiteralExpr) {
          fieldName(b.getLeft()).ifPresent(into::add);
        } else if (b.getLeft() instanceof NullLiteralExpr) {
          fieldName(b.getRight()).ifPresent(into::add);
        }
      }
      default -> { }
    }
    return into;
  }

  /** {@code F}, {@code this.F} or {@code Type.F}: the field's simple name. */
  private static Optional<String> fieldName(Expression e) {
    return switch (e) {
      case NameExpr n -> Optional.of(n.getNameAsString());
      case FieldAccessExpr f when f.getScope() instanceof ThisExpr || f.getScope() instanceof NameExpr ->
          Optional.of(f.getNameAsString());
      default -> Optional.empty();
    };
  }

  private static boolean assigns(Node branch, String field) {
    return branch.findAll(AssignExpr.class).stream().anyMatch(a -> a.getOperator() == AssignExpr.Operator.ASSIGN
        && fieldName(a.getTarget()).filter(field::equals).isPresent()
        && !(a.getValue() instanceof NullLiteralExpr));
  }

  /** Declared as a field of the enclosing class, and not as a local or parameter of the enclosing method. */
  private static boolean isField(Node n, String name) {
    Optional<CallableDeclaration<?>> m = n.findAncestor(CallableDeclaration.class).map(c -> (CallableDeclaration<?>) c);
    if (m.isPresent() && (m.get().getParameters().stream().anyMatch(p -> p.getNameAsString().equals(name))
        || m.get().findAll(com.github.javaparser.ast.body.VariableDeclarator.class).stream()
            .anyMatch(v -> v.getNameAsString().equals(name) && !(v.getParentNode().orElse(null) instanceof FieldDeclaration)))) {
      return false;
    }
    return n.findAncestor(TypeDeclaration.class).stream()
        .anyMatch(t -> ((TypeDeclaration<?>) t).getFieldByName(name).isPresent());
  }

  /**
   * Some code in the file assigns {@code null} to a field of that name, outside a method marked
   * {@code @VisibleForTesting} (a reset only tests call, as Cassandra's {@code FBUtilities.reset()}). A
   * file parsed with the bodies that cannot matter blanked ({@link dev.sharedstate.lockcheck.source.Skeleton})
   * is searched in its full tree, where those bodies are.
   */
  private static boolean resetToNull(Node n, String field) {
    Node root = n.findRootNode();
    if (root instanceof CompilationUnit cu && cu.containsData(FileAnalysis.FULL_TEXT)) {
      String text = cu.getData(FileAnalysis.FULL_TEXT);
      if (!Pattern.compile("\\b" + Pattern.quote(field) + "\\s*=\\s*null\\b").matcher(text).find()) {
        return false;
      }
      // parsed again rather than kept on the tree, which other threads may read; rare (a cache and a reset)
      Optional<CompilationUnit> full = Parsers.parse(text).getResult();
      if (full.isEmpty()) {
        return true; // cannot tell: a reset may be there
      }
      root = full.get();
    }
    return root.findAll(AssignExpr.class).stream().anyMatch(a -> a.getValue() instanceof NullLiteralExpr
        && fieldName(a.getTarget()).filter(field::equals).isPresent() && !onlyForTests(a));
  }

  private static boolean onlyForTests(Node n) {
    return n.findAncestor(CallableDeclaration.class)
        .map(c -> ((CallableDeclaration<?>) c).isAnnotationPresent("VisibleForTesting")).orElse(false);
  }
}
