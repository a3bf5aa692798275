package dev.sharedstate.lockcheck.baseline;

import com.github.javaparser.ParseResult;
import com.github.javaparser.Position;
import com.github.javaparser.Range;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.source.SourceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Names the member that encloses a source position, for baseline fingerprints: the package, the
 * nesting of types, and the innermost method (with its parameter types), constructor, initializer,
 * field or enum constant, e.g. {@code com.example.Outer.Inner#run(int)}; an anonymous class adds
 * {@code /new Type#method()}. Files are parsed once each and only when a baseline is used.
 */
final class Members {

  private final Map<Path, Optional<CompilationUnit>> parsed = new HashMap<>();

  /** The enclosing member of (line, column) in {@code file}, or {@code "?"} if the file cannot be parsed. */
  String at(Path file, int line, int column) {
    Optional<CompilationUnit> cu = parsed.computeIfAbsent(file.toAbsolutePath().normalize(), Members::parse);
    if (cu.isEmpty()) {
      return "?";
    }
    return describe(cu.get(), new Position(line, column));
  }

  private static Optional<CompilationUnit> parse(Path file) {
    try {
      String text = SourceText.decode(Files.readAllBytes(file)).text();
      if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
      ParseResult<CompilationUnit> r = Parsers.parse(text);
      return r.getResult();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static String describe(CompilationUnit cu, Position pos) {
    StringBuilder sb = new StringBuilder(cu.getPackageDeclaration().map(p -> p.getNameAsString() + ".").orElse(""));
    boolean lastWasType = false;
    boolean any = false;
    Node n = cu;
    descend:
    while (true) {
      for (Node c : n.getChildNodes()) {
        Optional<Range> r = c.getRange();
        if (r.isEmpty() || pos.isBefore(r.get().begin) || pos.isAfter(r.get().end)) {
          continue;
        }
        String part = part(c);
        if (part != null) {
          boolean isType = c instanceof TypeDeclaration<?>;
          if (isType) {
            sb.append(lastWasType ? "." : any ? "/" : "").append(part);
          } else {
            sb.append(part.startsWith("new ") ? "/" : "#").append(part);
          }
          lastWasType = isType;
          any = true;
        }
        n = c;
        continue descend;
      }
      break;
    }
    return any ? sb.toString() : sb + "?";
  }

  private static String part(Node n) {
    return switch (n) {
      case TypeDeclaration<?> td -> td.getNameAsString();
      case ConstructorDeclaration cd -> "<init>" + params(cd);
      case CallableDeclaration<?> md -> md.getNameAsString() + params(md);
      case CompactConstructorDeclaration cc -> "<init>";
      case InitializerDeclaration init -> init.isStatic() ? "<clinit>" : "<init>{}";
      case VariableDeclarator v when v.getParentNode().filter(p -> p instanceof com.github.javaparser.ast.body.FieldDeclaration).isPresent() ->
          v.getNameAsString();
      case EnumConstantDeclaration e -> e.getNameAsString();
      case ObjectCreationExpr o when o.getAnonymousClassBody().isPresent() -> "new " + o.getType().getNameAsString();
      default -> null;
    };
  }

  private static String params(CallableDeclaration<?> c) {
    return c.getParameters().stream()
        .map((Parameter p) -> Fingerprint.collapse(p.getType().asString()) + (p.isVarArgs() ? "..." : ""))
        .collect(Collectors.joining(",", "(", ")"));
  }
}
