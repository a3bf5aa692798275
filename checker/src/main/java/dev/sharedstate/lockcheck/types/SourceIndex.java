package dev.sharedstate.lockcheck.types;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.TypeDeclaration;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.source.SourceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The types declared in the sources being checked, found lazily: a file is parsed for its types only
 * when a candidate call needs a type it may declare (found by file name: {@code a/b/Outer.java}
 * declares {@code a.b.Outer} and its nested types). Files that declare a type under another file's
 * name are not found (see the rule's Known problems). The parsed trees are kept for the run: the
 * interprocedural analysis walks the bodies of the methods they declare.
 */
public final class SourceIndex {

  private final Map<String, List<Path>> filesByStem;
  private final ConcurrentHashMap<Path, FutureTask<Map<String, SourceTypeInfo>>> parsed = new ConcurrentHashMap<>();
  private TypeUniverse universe;

  public SourceIndex(Collection<Path> files) {
    Map<String, List<Path>> m = new HashMap<>();
    for (Path f : files) {
      String n = f.getFileName().toString();
      if (n.endsWith(".java")) {
        m.computeIfAbsent(n.substring(0, n.length() - 5), k -> new ArrayList<>()).add(f);
      }
    }
    m.replaceAll((k, v) -> List.copyOf(v));
    this.filesByStem = Map.copyOf(m);
  }

  void attach(TypeUniverse u) {
    this.universe = u;
  }

  /** The source type with this qualified name, if one of the checked files declares it. */
  public Optional<TypeInfo> lookup(String qualifiedName) {
    String[] parts = qualifiedName.split("\\.");
    for (String part : parts) {
      if (part.isEmpty() || !Character.isUpperCase(part.charAt(0))) {
        continue;
      }
      for (Path file : filesByStem.getOrDefault(part, List.of())) {
        SourceTypeInfo t = typesOf(file).get(qualifiedName);
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private Map<String, SourceTypeInfo> typesOf(Path file) {
    FutureTask<Map<String, SourceTypeInfo>> task = new FutureTask<>(() -> parseTypes(file));
    FutureTask<Map<String, SourceTypeInfo>> prev = parsed.putIfAbsent(file, task);
    if (prev == null) {
      task.run();
    } else {
      task = prev;
    }
    try {
      return task.get();
    } catch (ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Map.of();
    }
  }

  private Map<String, SourceTypeInfo> parseTypes(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      ParseResult<CompilationUnit> r = Parsers.parse(SourceText.decode(bytes).text());
      if (r.getResult().isEmpty()) {
        return Map.of();
      }
      CompilationUnit cu = r.getResult().get();
      cu.setStorage(file); // where a method summary's chain points to
      FileContext ctx = new FileContext(cu, universe);
      Map<String, SourceTypeInfo> out = new HashMap<>();
      for (TypeDeclaration<?> td : r.getResult().get().findAll(TypeDeclaration.class, t -> t.getFullyQualifiedName().isPresent())) {
        out.put(td.getFullyQualifiedName().get(), ctx.typeInfo(td));
      }
      return out;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return Map.of();
    }
  }
}
