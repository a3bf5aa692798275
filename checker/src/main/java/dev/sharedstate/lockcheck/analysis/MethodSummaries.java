package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.body.MethodDeclaration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-wide memo of "does a call to this method block, and how", for the methods and constructors
 * of files parsed by the source index (shared by the analysis threads). Keyed by file and position,
 * not by syntax node, so the memo keeps no tree alive. Methods of the file being analysed are memoised
 * by that file's own {@link CallFollower} instead. Thread-safe.
 */
public final class MethodSummaries {

  private final ConcurrentHashMap<String, Optional<CallChain>> done = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<MethodRef>> implementations = new ConcurrentHashMap<>();

  /**
   * Where a method is declared, without its tree: the declaring type, the name and the position. The
   * memo keeps these, never declarations, so it keeps no parsed tree alive (the source index may
   * drop a tree and parse its file again).
   */
  record MethodRef(String type, String name, int line, int column) {
    static MethodRef of(String type, MethodDeclaration md) {
      return new MethodRef(type, md.getNameAsString(), md.getBegin().map(p -> p.line).orElse(0),
          md.getBegin().map(p -> p.column).orElse(0));
    }

    boolean is(MethodDeclaration md) {
      return md.getBegin().map(p -> p.line == line && p.column == column).orElse(false);
    }
  }

  /** The implementations of an abstract method ({@code a.b.Type#name/arity}) found in the sources. */
  List<MethodRef> implementations(String key, Function<String, List<MethodRef>> find) {
    List<MethodRef> known = implementations.get(key);
    if (known != null) {
      return known;
    }
    // found outside the map (it parses files): computeIfAbsent would hold a bin lock meanwhile
    List<MethodRef> found = List.copyOf(find.apply(key));
    List<MethodRef> raced = implementations.putIfAbsent(key, found);
    return raced != null ? raced : found;
  }

  /** What {@link StreamOrigins} found a method's parameter receives at its call sites, by method and parameter. */
  final ConcurrentHashMap<String, Optional<Object>> parameterOrigins = new ConcurrentHashMap<>();

  Optional<CallChain> get(String key) {
    return done.get(key);
  }

  void put(String key, Optional<CallChain> summary) {
    done.putIfAbsent(key, summary);
  }
}
