package dev.sharedstate.lockcheck.types;

import com.github.javaparser.ParseResult;
import com.github.javaparser.Range;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.DataKey;
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
 * name are not found (see the rule's Known problems).
 *
 * <p>Memory stays bounded whatever the size of the tree: the parsed trees (which the interprocedural
 * analysis walks) are kept in a least-recently-used cache of at most {@link #budgetBytes()} estimated
 * bytes, and a file evicted from it is parsed again when it is needed again. Nothing else the index
 * keeps refers to a tree (summaries are keyed by file and position), so an evicted tree is garbage as
 * soon as the analyses using it are done. Their tokens are dropped once parsed (positions stay).
 */
public final class SourceIndex {

  private static final DataKey<Path> FILE = new DataKey<>() {};

  /** Estimated bytes of heap a parsed tree takes per character of source, tokens dropped (measured: 28). */
  static final int BYTES_PER_CHAR = 32;

  private final Map<String, List<Path>> filesByStem;
  private final ParsedCache parsed;
  private TypeUniverse universe;

  private final List<Path> files;
  /** Each candidate file's package, read from its text without parsing (probes stay cheap). */
  private final ConcurrentHashMap<Path, String> packages = new ConcurrentHashMap<>();
  private static final String UNKNOWN_PACKAGE = "?";
  private final FutureTask<Map<String, List<Path>>> subtypeIndex = new FutureTask<>(this::indexSupertypeNames);
  private final java.util.concurrent.atomic.AtomicBoolean subtypeIndexStarted = new java.util.concurrent.atomic.AtomicBoolean();

  /** An index with the default cache budget: a quarter of the heap. */
  public SourceIndex(Collection<Path> files) {
    this(files, Runtime.getRuntime().maxMemory() / 4);
  }

  /** An index whose cache of parsed trees holds at most about {@code budgetBytes} of heap. */
  public SourceIndex(Collection<Path> files, long budgetBytes) {
    this.parsed = new ParsedCache(Math.max(1, budgetBytes));
    this.files = List.copyOf(files);
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

  /** The file a compilation unit parsed by a source index was read from. */
  public static Optional<Path> fileOf(CompilationUnit cu) {
    return cu.containsData(FILE) ? Optional.of(cu.getData(FILE)) : Optional.empty();
  }

  /**
   * Marks a tree of {@code file} parsed elsewhere (the full text of a file whose bodies were blanked)
   * so that summaries of its methods are keyed like those of the index's own copy.
   */
  public static void setFile(CompilationUnit cu, Path file) {
    cu.setData(FILE, file);
  }

  void attach(TypeUniverse u) {
    this.universe = u;
  }

  /** The source type with this qualified name, if one of the checked files declares it. */
  public Optional<TypeInfo> lookup(String qualifiedName) {
    String[] parts = qualifiedName.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || !Character.isUpperCase(part.charAt(0))) {
        continue;
      }
      String pkg = String.join(".", java.util.Arrays.copyOfRange(parts, 0, i));
      for (Path file : filesByStem.getOrDefault(part, List.of())) {
        String declared = packages.computeIfAbsent(file, SourceIndex::readPackage);
        if (!declared.equals(pkg) && !declared.equals(UNKNOWN_PACKAGE)) {
          continue; // X.java in package p declares p.X (and types nested in it), nothing else
        }
        SourceTypeInfo t = typesOf(file).get(qualifiedName);
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The package a file declares, from its first tokens (comments and annotations skipped); "" for the
   * default package, {@code "?"} when it cannot be read (then the file is parsed to find out).
   */
  static String readPackage(Path file) {
    String text;
    try {
      text = SourceText.decode(Files.readAllBytes(file)).text();
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return UNKNOWN_PACKAGE;
    }
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '\uFEFF') {
        i++;
      } else if (text.startsWith("//", i)) {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '@' || text.startsWith("\\u", i)) {
        return UNKNOWN_PACKAGE; // annotated package (package-info) or unicode escapes: let the parser say
      } else if (text.startsWith("package", i) && i + 7 < n && !Character.isJavaIdentifierPart(text.charAt(i + 7))) {
        int semi = text.indexOf(';', i);
        if (semi < 0) {
          return UNKNOWN_PACKAGE;
        }
        String name = text.substring(i + 7, semi).replaceAll("\\s+", "");
        return name.contains("/") ? UNKNOWN_PACKAGE : name;
      } else {
        return ""; // the first token is not `package`: the default package
      }
    }
    return "";
  }

  /**
   * Whether a file can name the type {@code qualifiedName} by its simple name at all: it is in the
   * type's package, or its text mentions that package (an import, a qualified name). A cheap filter
   * read from the text, before parsing a candidate subtype's file.
   */
  public boolean mayReferTo(Path file, String packageName) {
    String declared = packages.computeIfAbsent(file, SourceIndex::readPackage);
    if (declared.equals(packageName) || declared.equals(UNKNOWN_PACKAGE) || packageName.isEmpty()) {
      return true;
    }
    String key = file + "\n" + packageName;
    Boolean known = mentions.get(key);
    if (known != null) {
      return known;
    }
    boolean found;
    try {
      found = SourceText.decode(Files.readAllBytes(file)).text().contains(packageName + ".");
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      found = true;
    }
    mentions.putIfAbsent(key, found);
    return found;
  }

  private final ConcurrentHashMap<String, Boolean> mentions = new ConcurrentHashMap<>();

  /** The named types (top-level and nested) a checked file declares. */
  public java.util.Collection<SourceTypeInfo> typesIn(Path file) {
    return typesOf(file).values();
  }

  /**
   * The checked files that may declare a subtype of a type with this simple name: those naming it in
   * an {@code extends} or {@code implements} clause. Built on first use by one pass over every file's
   * text (no parsing); the callers verify each candidate on its parsed declaration.
   */
  public List<Path> filesNamingSupertype(String simpleName) {
    if (subtypeIndexStarted.compareAndSet(false, true)) {
      subtypeIndex.run();
    }
    try {
      return subtypeIndex.get().getOrDefault(simpleName, List.of());
    } catch (ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }
  }

  private final FutureTask<Map<String, List<Path>>> callIndex = new FutureTask<>(this::indexCalledNames);
  private final java.util.concurrent.atomic.AtomicBoolean callIndexStarted = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * The checked files whose text has {@code name} followed by {@code (}: those that may call a method
   * (or a constructor) of that name. Built on first use by one pass over every file's text (no
   * parsing); the callers resolve each candidate call on its parsed tree.
   */
  public List<Path> filesCalling(String name) {
    if (callIndexStarted.compareAndSet(false, true)) {
      callIndex.run();
    }
    try {
      return callIndex.get().getOrDefault(name, List.of());
    } catch (ExecutionException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }
  }

  /** Whether a checked file's text contains {@code word} (read, not parsed; unreadable: true). */
  public boolean textMentions(Path file, String word) {
    try {
      return SourceText.decode(Files.readAllBytes(file)).text().contains(word);
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return true;
    }
  }

  private static final java.util.Set<String> NOT_CALLS = java.util.Set.of("if", "for", "while", "switch", "catch",
      "synchronized", "return", "try", "super", "this", "new", "throw", "assert", "else", "do", "case", "when");

  private Map<String, List<Path>> indexCalledNames() {
    Map<String, List<Path>> out = new HashMap<>();
    Map<String, String> names = new HashMap<>(); // one String per name, shared by every file's set
    for (Path f : files) {
      String text;
      try {
        text = SourceText.decode(Files.readAllBytes(f)).text();
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        continue;
      }
      java.util.Set<String> called = new java.util.HashSet<>();
      for (int i = text.indexOf('('); i >= 0; i = text.indexOf('(', i + 1)) {
        int j = i - 1;
        while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
          j--;
        }
        int end = j + 1;
        while (j >= 0 && Character.isJavaIdentifierPart(text.charAt(j))) {
          j--;
        }
        if (end - (j + 1) > 0 && Character.isJavaIdentifierStart(text.charAt(j + 1))) {
          String id = text.substring(j + 1, end);
          if (!NOT_CALLS.contains(id)) {
            called.add(names.computeIfAbsent(id, k -> k));
          }
        }
      }
      for (String c : called) {
        out.computeIfAbsent(c, k -> new ArrayList<>()).add(f);
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return out;
  }

  private Map<String, List<Path>> indexSupertypeNames() {
    Map<String, List<Path>> out = new HashMap<>();
    for (Path f : files) {
      String text;
      try {
        text = SourceText.decode(Files.readAllBytes(f)).text();
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        continue;
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (String keyword : List.of("extends", "implements")) {
        for (int i = text.indexOf(keyword); i >= 0; i = text.indexOf(keyword, i + keyword.length())) {
          boolean token = (i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1)))
              && (i + keyword.length() >= text.length() || !Character.isJavaIdentifierPart(text.charAt(i + keyword.length())));
          if (!token) {
            continue;
          }
          int end = i + keyword.length();
          int stop = Math.min(text.length(), end + 400);
          for (int j = end; j < stop; j++) {
            char c = text.charAt(j);
            if (c == '{' || c == ';' || c == '(') {
              stop = j;
              break;
            }
          }
          int j = end;
          while (j < stop) {
            if (Character.isJavaIdentifierStart(text.charAt(j))) {
              int k = j + 1;
              while (k < stop && Character.isJavaIdentifierPart(text.charAt(k))) {
                k++;
              }
              names.add(text.substring(j, k));
              j = k;
            } else {
              j++;
            }
          }
        }
      }
      for (String n : names) {
        out.computeIfAbsent(n, k -> new ArrayList<>()).add(f);
      }
    }
    return out;
  }

  private Map<String, SourceTypeInfo> typesOf(Path file) {
    return parsed.get(file, this::parseTypes);
  }

  /** The cache's budget in estimated bytes of heap. */
  public long budgetBytes() {
    return parsed.budget;
  }

  /** Estimated bytes of heap the cached trees take now (for tests and {@code --verbose}). */
  public long cachedBytes() {
    return parsed.weight();
  }

  /** How many times a file was parsed (again) for its types: evictions show as re-parses. */
  public long parses() {
    return parsed.parses.get();
  }

  /** Drops every cached tree (after an out-of-memory error, before the failed files are tried again). */
  public void evictAll() {
    parsed.clear();
  }

  /**
   * The parsed files, least recently used first out. Each entry is a task, so concurrent lookups of
   * one file parse it once; its weight is known once parsed. Lookups and evictions hold the cache's
   * lock only briefly (never while parsing).
   */
  private static final class ParsedCache {
    private final long budget;
    private final java.util.LinkedHashMap<Path, Entry> entries = new java.util.LinkedHashMap<>(64, 0.75f, true);
    private long weight;
    final java.util.concurrent.atomic.AtomicLong parses = new java.util.concurrent.atomic.AtomicLong();

    private static final class Entry {
      final FutureTask<Map<String, SourceTypeInfo>> task;
      long weight;

      Entry(FutureTask<Map<String, SourceTypeInfo>> task) {
        this.task = task;
      }
    }

    ParsedCache(long budget) {
      this.budget = budget;
    }

    synchronized long weight() {
      return weight;
    }

    synchronized void clear() {
      entries.clear();
      weight = 0;
    }

    Map<String, SourceTypeInfo> get(Path file, java.util.function.Function<Path, Parsed> parse) {
      Entry e;
      boolean mine = false;
      synchronized (this) {
        e = entries.get(file);
        if (e == null) {
          Entry fresh = new Entry(new FutureTask<>(() -> {
            Parsed p = parse.apply(file);
            settle(file, p.weight());
            return p.types();
          }));
          entries.put(file, fresh);
          e = fresh;
          mine = true;
        }
      }
      if (mine) {
        parses.incrementAndGet();
        e.task.run();
      }
      try {
        return e.task.get();
      } catch (ExecutionException | InterruptedException | java.util.concurrent.CancellationException ex) {
        if (ex instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        synchronized (this) {
          if (entries.get(file) == e) {
            entries.remove(file);
            weight -= e.weight;
          }
        }
        if (ex.getCause() instanceof OutOfMemoryError oom) {
          throw oom; // the file being analysed is tried again alone: never a silently smaller result
        }
        return Map.of();
      }
    }

    /** A file's tree is parsed: count its weight and evict the least recently used beyond the budget. */
    private synchronized void settle(Path file, long w) {
      Entry e = entries.get(file);
      if (e == null) {
        return; // cleared meanwhile
      }
      e.weight = w;
      weight += w;
      var it = entries.entrySet().iterator();
      while (weight > budget && it.hasNext()) {
        var oldest = it.next();
        if (oldest.getKey().equals(file)) {
          continue; // the tree just parsed is about to be used
        }
        if (!oldest.getValue().task.isDone()) {
          continue; // still being parsed by another thread: its weight is not counted yet
        }
        weight -= oldest.getValue().weight;
        it.remove();
      }
    }
  }

  /** A file's types and the estimated heap its tree takes. */
  private record Parsed(Map<String, SourceTypeInfo> types, long weight) {}

  private Parsed parseTypes(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text = SourceText.decode(bytes).text();
      ParseResult<CompilationUnit> r = Parsers.parse(text);
      if (r.getResult().isEmpty()) {
        return new Parsed(Map.of(), 0);
      }
      CompilationUnit cu = r.getResult().get();
      dropTokens(cu);
      cu.setData(FILE, file); // where a method summary's chain points to, as the file was given
      FileContext ctx = new FileContext(cu, universe);
      Map<String, SourceTypeInfo> out = new HashMap<>();
      for (TypeDeclaration<?> td : cu.findAll(TypeDeclaration.class, t -> t.getFullyQualifiedName().isPresent())) {
        out.put(td.getFullyQualifiedName().get(), ctx.typeInfo(td));
      }
      return new Parsed(out, (long) text.length() * BYTES_PER_CHAR);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return new Parsed(Map.of(), 0);
    }
  }

  /**
   * Drops a tree's tokens, keeping every node's position: the token list is more than half of a
   * parsed tree's heap, and nothing reads it once positions are set.
   */
  static void dropTokens(CompilationUnit cu) {
    cu.walk(n -> {
      Range range = n.getRange().orElse(null);
      n.setTokenRange(null);
      n.setRange(range);
    });
  }
}
