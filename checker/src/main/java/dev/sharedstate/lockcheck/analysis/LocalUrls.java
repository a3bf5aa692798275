package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A URL of a local resource opens no network connection: {@code url.openStream()} or {@code
 * url.openConnection().getInputStream()} where every value the URL may hold ({@link Origins}: locals,
 * fields, getters; parameters through every call site in the sources, {@link CallSites}) is a class-path
 * resource ({@code ClassLoader.getResource}, {@code Class.getResource}, {@code getSystemResource}), a
 * file's URL ({@code file.toURI().toURL()}, {@code path.toUri().toURL()}) or a {@code "file:"} /
 * {@code "jar:file:"} literal. A value nothing is known about, a parameter with no call site seen, or
 * any other URL keeps the finding. Class-path resources count as local: the class loader has already
 * read the jar or directory they are in (see the rule page's known problems).
 */
final class LocalUrls {

  private static final String URL = "java.net.URL";
  private static final String CONNECTION = "java.net.URLConnection";
  private static final Set<String> RESOURCE_LOOKUPS = Set.of("getResource", "getSystemResource");
  private static final Set<String> RESOURCE_OWNERS = Set.of("java.lang.ClassLoader", "java.lang.Class");

  private LocalUrls() {}

  /** True when {@code m} is a URL or URLConnection entry and the receiver's URL is local in every origin. */
  static boolean local(MethodCallExpr call, BlockingMethod m, FileAnalysis fa) {
    if (!(m.owner().equals(URL) || m.owner().equals(CONNECTION)) || call.getScope().isEmpty()) {
      return false;
    }
    return allLocal(call.getScope().get(), fa.typer, fa.file(), fa, new Search());
  }

  /** Parameters being followed (a cycle is not local) and how deep. */
  private static final class Search {
    final Set<String> following = new HashSet<>();
    int hops;
  }

  private static boolean allLocal(Expression e, ExprTyper typer, Path file, FileAnalysis fa, Search search) {
    List<Origins.Value> values = fa.origins.of(e, typer, file);
    if (values.isEmpty()) {
      return false;
    }
    for (Origins.Value v : values) {
      if (!local(v, fa, search)) {
        return false;
      }
    }
    return true;
  }

  private static boolean local(Origins.Value v, FileAnalysis fa, Search search) {
    ExprTyper typer = v.typer();
    switch (v.expr()) {
      case MethodCallExpr m -> {
        String name = m.getNameAsString();
        if (RESOURCE_LOOKUPS.contains(name)) {
          JType owner = typer.receiverType(m);
          return owner.kind() == JType.Kind.CLASS && RESOURCE_OWNERS.stream().anyMatch(o -> typer.isSubtype(owner, o));
        }
        if (name.equals("openConnection") && m.getArguments().isEmpty() && m.getScope().isPresent()) {
          return allLocal(m.getScope().get(), typer, v.file(), fa, search); // the connection of a local URL
        }
        if (name.equals("toURL") && m.getArguments().isEmpty() && m.getScope().orElse(null) instanceof MethodCallExpr u) {
          return fileUri(u, typer);
        }
        return false;
      }
      case ObjectCreationExpr o -> {
        JType t = typer.context().resolve(o.getType());
        return t.kind() == JType.Kind.CLASS && t.name().equals(URL) && o.getArguments().size() == 1
            && fileLiteral(o.getArgument(0));
      }
      case NameExpr n -> {
        return parameter(n, v, fa, search);
      }
      default -> {
        return false;
      }
    }
  }

  /** {@code file.toURI()}, {@code path.toUri()}, {@code URI.create("file:...")}: the URI of a file. */
  private static boolean fileUri(MethodCallExpr u, ExprTyper typer) {
    String name = u.getNameAsString();
    if ((name.equals("toURI") || name.equals("toUri")) && u.getArguments().isEmpty() && u.getScope().isPresent()) {
      JType owner = typer.typeOf(u.getScope().get());
      return owner.kind() == JType.Kind.CLASS
          && (typer.isSubtype(owner, "java.io.File") || typer.isSubtype(owner, "java.nio.file.Path"));
    }
    if (name.equals("create") && u.getArguments().size() == 1 && u.getScope().isPresent()) {
      JType owner = typer.scopeType(u.getScope().get());
      return owner.kind() == JType.Kind.CLASS && owner.name().equals("java.net.URI") && fileLiteral(u.getArgument(0));
    }
    return false;
  }

  /** A string literal, or a concatenation starting with one, naming a local file: {@code "file:..."}, {@code "jar:file:..."}. */
  private static boolean fileLiteral(Expression e) {
    while (e instanceof BinaryExpr b && b.getOperator() == BinaryExpr.Operator.PLUS) {
      e = b.getLeft();
    }
    if (!(e instanceof StringLiteralExpr s)) {
      return false;
    }
    String text = s.asString().toLowerCase(java.util.Locale.ROOT);
    return text.startsWith("file:") || text.startsWith("jar:file:");
  }

  /**
   * A parameter of a method of the sources: local when it has a call site and every call site passes
   * a local URL. A parameter no call is seen for (a public method called from outside) is not.
   */
  private static boolean parameter(NameExpr n, Origins.Value v, FileAnalysis fa, Search search) {
    ExprTyper typer = v.typer();
    if (!(typer.declarationOf(n.getNameAsString(), n).orElse(null) instanceof ExprTyper.Decl.Param p)
        || !(p.parameter().getParentNode().orElse(null) instanceof CallableDeclaration<?> md)
        || (md instanceof MethodDeclaration m && m.getBody().isEmpty()) || p.parameter().isVarArgs()
        || !(md.getParentNode().orElse(null) instanceof TypeDeclaration<?> owner) || md.getBegin().isEmpty()) {
      return false;
    }
    if (md instanceof MethodDeclaration m && m.getAnnotationByName("Override").isPresent()) {
      return false; // called through its supertype too: those calls are not searched
    }
    int index = md.getParameters().indexOf(p.parameter());
    String declaring = typer.context().qualifiedName(owner);
    if (index < 0 || declaring == null) {
      return false;
    }
    String key = declaring + "#" + md.getNameAsString() + "@" + md.getBegin().get().line + "/" + index;
    if (search.hops >= StreamOrigins.MAX_PARAMETER_HOPS || !search.following.add(key)) {
      return false;
    }
    search.hops++;
    try {
      boolean[] seen = {false};
      boolean[] remote = {false};
      CallSites.Outcome outcome = CallSites.visit(md, index, declaring, fa, true, (arg, there, file, line) -> {
        seen[0] = true;
        for (Origins.Value a : fa.origins.of(arg, there, file)) {
          if (!notAUrl(a) && !local(a, fa, search)) {
            remote[0] = true;
            return true;
          }
        }
        return false;
      });
      return outcome == CallSites.Outcome.ALL && seen[0] && !remote[0];
    } finally {
      search.hops--;
      search.following.remove(key);
    }
  }

  /**
   * A value passed to a parameter wider than URL (an {@code Object} resource) that cannot be a URL: a
   * string, a path, a stream. Its own use is not this call's receiver.
   */
  private static boolean notAUrl(Origins.Value a) {
    JType t = a.typer().typeOf(a.expr());
    return t.kind() == JType.Kind.CLASS && t.dims() == 0 && !a.typer().isSubtype(t, URL)
        && !a.typer().isSubtype(t, CONNECTION) && !t.name().equals("java.lang.Object");
  }
}
