package dev.sharedstate.lockcheck;

import com.github.javaparser.ParseResult;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import dev.sharedstate.lockcheck.analysis.FileAnalysis;
import dev.sharedstate.lockcheck.analysis.MethodSummaries;
import dev.sharedstate.lockcheck.analysis.Prefilter;
import dev.sharedstate.lockcheck.blocking.Catalogue;
import dev.sharedstate.lockcheck.blocking.ImmediateCaller;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.source.Skeleton;
import dev.sharedstate.lockcheck.source.SourceText;
import dev.sharedstate.lockcheck.types.LibraryTypes;
import dev.sharedstate.lockcheck.types.SourceIndex;
import dev.sharedstate.lockcheck.types.TypeUniverse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedding API of lockcheck: what the CLI, the chapters' snippet runner, the exercises' CI gate
 * and the Maven plugin call. Never throws on bad input; unreadable or unparseable inputs come back as
 * {@link InputProblem}s beside the findings of everything that could be analysed. Immutable: each
 * {@code with...} returns a new configured checker.
 */
public final class Lockcheck {

  /** Stack size of analysis threads: deeply nested expressions need a deep parser stack. */
  private static final long DEFAULT_STACK_BYTES = 512L * 1024 * 1024;

  /**
   * Everything a checker is configured with; each {@code with...} returns a copy with one field
   * changed.
   *
   * @param cacheBytes the budget of the cache of parsed trees ({@code 0}: a quarter of the heap)
   * @param faultHook called before each file is analysed; tests inject failures with it
   */
  private record Settings(Catalogue catalogue, List<Path> classpath, boolean prefilter, int threads,
      boolean verbose, long stackBytes, int release, long cacheBytes, java.util.function.Consumer<Path> faultHook) {
    Settings {
      classpath = List.copyOf(classpath);
    }
  }

  private final Settings settings;
  private final Catalogue catalogue;
  private final List<Path> classpath;
  private final boolean prefilter;
  private final int threads;
  private final boolean verbose;
  private final long stackBytes;
  private final int release;
  private final java.util.function.Consumer<Path> faultHook;

  private Lockcheck(Settings s) {
    this.settings = s;
    this.catalogue = s.catalogue();
    this.classpath = s.classpath();
    this.prefilter = s.prefilter();
    this.threads = s.threads();
    this.verbose = s.verbose();
    this.stackBytes = s.stackBytes();
    this.release = s.release();
    this.faultHook = s.faultHook();
  }

  private Settings s() {
    return settings;
  }

  /** The stack size of the analysis threads (default 512 MiB, reserved lazily by the OS). */
  public Lockcheck withStackBytes(long bytes) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), s.threads(), s.verbose(), bytes,
        s.release(), s.cacheBytes(), s.faultHook()));
  }

  /**
   * For tests: {@code hook} runs before each file's analysis, on the thread analysing it, and may
   * throw what a file could cause ({@code OutOfMemoryError}, {@code StackOverflowError}, a bug's
   * exception) to prove that only that file is lost.
   */
  Lockcheck withFaultInjection(java.util.function.Consumer<Path> hook) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), s.threads(), s.verbose(),
        s.stackBytes(), s.release(), s.cacheBytes(), hook));
  }

  /**
   * The heap the cache of parsed trees may take, in estimated bytes (default: a quarter of the
   * heap). Findings do not depend on it: an evicted tree is parsed again when needed. Tests set it
   * tiny to prove that.
   */
  public Lockcheck withParsedTreeCache(long bytes) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), s.threads(), s.verbose(),
        s.stackBytes(), s.release(), bytes, s.faultHook()));
  }

  /**
   * The Java release the checked code targets (0: unknown). With 21, 22 or 23, a blocking call or
   * {@code Object.wait()} inside {@code synchronized} is also reported as {@code virtual-thread-pinning}:
   * those releases have virtual threads (JEP 444) that pin their carrier in a monitor, which JDK 24
   * (JEP 491) fixed; before 21 there are no virtual threads.
   */
  public Lockcheck withRelease(int javaRelease) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), s.threads(), s.verbose(),
        s.stackBytes(), javaRelease, s.cacheBytes(), s.faultHook()));
  }

  /** True when the target release pins virtual threads in monitors (21 to 23). */
  public static boolean releasePins(int javaRelease) {
    return javaRelease >= 21 && javaRelease <= 23;
  }

  /** A checker with the built-in catalogue of blocking calls and lock kinds, and no project config. */
  public static Lockcheck withDefaults() {
    return new Lockcheck(new Settings(Catalogue.builtIn(), List.of(), true, Runtime.getRuntime().availableProcessors(),
        false, DEFAULT_STACK_BYTES, 0, 0, f -> { }));
  }

  /** Adds user catalogue files and immediate callers ({@code [qualified.Owner#]method}). */
  public Lockcheck withCatalogue(List<Path> catalogueFiles, Collection<String> immediateCallers) {
    List<ImmediateCaller> callers = immediateCallers.stream().map(ImmediateCaller::parse).toList();
    return withCatalogueData(c -> c.extendedWith(catalogueFiles, callers));
  }

  /** The catalogue changed by {@code change} (a project config's blocking and lock methods). */
  public Lockcheck withCatalogueData(java.util.function.UnaryOperator<Catalogue> change) {
    Settings s = s();
    return new Lockcheck(new Settings(change.apply(s.catalogue()), s.classpath(), s.prefilter(), s.threads(),
        s.verbose(), s.stackBytes(), s.release(), s.cacheBytes(), s.faultHook()));
  }

  /** Jars and class folders whose types the checked sources use (for type resolution only). */
  public Lockcheck withClasspath(List<Path> entries) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), entries, s.prefilter(), s.threads(), s.verbose(),
        s.stackBytes(), s.release(), s.cacheBytes(), s.faultHook()));
  }

  /**
   * Turns the token pre-filter off: every file is parsed, with every body (no {@link Skeleton}
   * blanking); the full analysis, for comparison runs.
   */
  public Lockcheck withPrefilter(boolean on) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), on, s.threads(), s.verbose(),
        s.stackBytes(), s.release(), s.cacheBytes(), s.faultHook()));
  }

  /** Number of files analysed in parallel (default: all processors). */
  public Lockcheck withThreads(int n) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), Math.max(1, n), s.verbose(),
        s.stackBytes(), s.release(), s.cacheBytes(), s.faultHook()));
  }

  /** Adds stack traces to internal-error problems. */
  public Lockcheck withVerbose(boolean on) {
    Settings s = s();
    return new Lockcheck(new Settings(s.catalogue(), s.classpath(), s.prefilter(), s.threads(), on,
        s.stackBytes(), s.release(), s.cacheBytes(), s.faultHook()));
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  /** Checks Java source text as if it were the file {@code fileName} (used in locations). */
  public CheckResult checkSource(String fileName, String source) {
    TypeUniverse universe = new TypeUniverse(new LibraryTypes(classpath), new SourceIndex(List.of()),
        catalogue.declaredTypes());
    Outcome o = onBigStack(Path.of(fileName), () -> analyseText(Path.of(fileName), source, universe,
        new MethodSummaries()));
    return new CheckResult(forRelease(o.findings), o.problems, 1);
  }

  /**
   * Checks files and directories (recursively, every {@code *.java}). A failure while analysing one
   * file, an {@code OutOfMemoryError} or a {@code StackOverflowError} included, loses that file only:
   * it is reported as an {@link InputProblem} naming it, and every other file's findings are
   * reported. A file that ran out of memory is tried once more at the end, alone, with the cache of
   * parsed trees dropped (the other threads' work may have filled the heap), before it is given up.
   */
  public CheckResult check(List<Path> paths) {
    List<InputProblem> problems = new ArrayList<>();
    List<Path> files = collect(paths, problems);
    SourceIndex index = settings.cacheBytes() > 0 ? new SourceIndex(files, settings.cacheBytes())
        : new SourceIndex(files);
    TypeUniverse universe = new TypeUniverse(new LibraryTypes(classpath), index, catalogue.declaredTypes());
    MethodSummaries summaries = new MethodSummaries();
    List<Finding> findings = new ArrayList<>();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(null, r, "lockcheck-" + n.incrementAndGet(), stackBytes);
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, files.size())), tf);
    try {
      List<Future<Outcome>> results = new ArrayList<>(files.size());
      for (Path f : files) {
        results.add(pool.submit(() -> guarded(f, universe, summaries)));
      }
      List<Path> outOfMemory = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Outcome o = outcome(files.get(i), results.get(i));
        results.set(i, null); // let the outcome go once collected
        if (o.outOfMemory()) {
          outOfMemory.add(files.get(i));
          continue;
        }
        findings.addAll(o.findings);
        problems.addAll(o.problems);
      }
      if (!outOfMemory.isEmpty()) {
        index.evictAll();
        for (Path f : outOfMemory) {
          Outcome o = outcome(f, pool.submit(() -> guarded(f, universe, summaries)));
          if (o.outOfMemory()) {
            index.evictAll();
            o = Outcome.problem(f, 0, 0, "ran out of memory while analysing this file (heap: "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB), even alone; the rest of the run goes on."
                + " Raise the heap, e.g. LOCKCHECK_JAVA_OPTS=-Xmx4g, to analyse it");
          }
          findings.addAll(o.findings);
          problems.addAll(o.problems);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add(new InputProblem(Path.of("."), 0, 0, "interrupted before every file was analysed"));
    } finally {
      pool.shutdownNow();
    }
    findings = forRelease(findings);
    findings.sort(Comparator.comparing((Finding f) -> f.file().toString()).thenComparingInt(Finding::line)
        .thenComparingInt(Finding::column));
    problems.sort(Comparator.comparing((InputProblem p) -> p.file().toString()).thenComparingInt(InputProblem::line)
        .thenComparingInt(InputProblem::column));
    return new CheckResult(findings, problems, files.size());
  }

  /** One file's outcome; a task that failed outside the guard (it should not) is that file's problem. */
  private Outcome outcome(Path file, Future<Outcome> task) throws InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      return Outcome.problem(file, 0, 0, internalError(e.getCause()));
    }
  }

  /**
   * One file's analysis, whatever it throws: an {@code OutOfMemoryError} is marked for a retry, a
   * {@code StackOverflowError} or any other error becomes the file's problem.
   */
  private Outcome guarded(Path file, TypeUniverse universe, MethodSummaries summaries) {
    try {
      faultHook.accept(file);
      return analyseFile(file, universe, summaries);
    } catch (OutOfMemoryError e) {
      return Outcome.OUT_OF_MEMORY;
    } catch (StackOverflowError e) {
      return Outcome.problem(file, 0, 0, "too deeply nested to analyse (stack overflow); the rest of the run goes on");
    } catch (Throwable e) {
      return Outcome.problem(file, 0, 0, internalError(e));
    }
  }

  private String internalError(Throwable e) {
    String reason = "internal error while analysing this file (" + e + "); the rest of the run goes on; please report it";
    if (verbose && e != null) {
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      reason += "\n" + sw;
    }
    return reason;
  }

  /** Drops the pinning findings unless the target release pins virtual threads. */
  private List<Finding> forRelease(List<Finding> findings) {
    if (releasePins(release)) {
      return new ArrayList<>(findings);
    }
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      if (!f.ruleId().equals(FileAnalysis.PINNING_RULE_ID)) {
        out.add(f);
      }
    }
    return out;
  }

  private record Outcome(List<Finding> findings, List<InputProblem> problems) {
    /** The file ran out of memory: tried again at the end of the run. */
    static final Outcome OUT_OF_MEMORY = new Outcome(List.of(), List.of());

    boolean outOfMemory() {
      return this == OUT_OF_MEMORY;
    }

    static Outcome problem(Path file, int line, int col, String reason) {
      return new Outcome(List.of(), List.of(new InputProblem(file, line, col, reason)));
    }
  }

  private Outcome onBigStack(Path file, java.util.concurrent.Callable<Outcome> work) {
    Outcome[] out = new Outcome[1];
    Throwable[] err = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        out[0] = work.call();
      } catch (Throwable e) {
        err[0] = e;
      }
    }, "lockcheck-source", stackBytes);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (out[0] == null) {
      return Outcome.problem(file, 0, 0, err[0] instanceof OutOfMemoryError
          ? "ran out of memory while analysing this file (heap: " + (Runtime.getRuntime().maxMemory() >> 20) + " MB)"
          : err[0] instanceof StackOverflowError ? "too deeply nested to analyse (stack overflow)" : internalError(err[0]));
    }
    return out[0];
  }

  private Outcome analyseFile(Path file, TypeUniverse universe, MethodSummaries summaries) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      return Outcome.problem(file, 0, 0, "cannot read: permission denied");
    } catch (NoSuchFileException e) {
      return Outcome.problem(file, 0, 0, "cannot read: the file disappeared during the run");
    } catch (IOException e) {
      return Outcome.problem(file, 0, 0, "cannot read: " + e.getMessage());
    }
    if (bytes.length == 0) {
      return Outcome.problem(file, 0, 0, "empty file: nothing to analyse");
    }
    SourceText text = SourceText.decode(bytes);
    Outcome o = analyseText(file, text.text(), universe, summaries);
    if (!text.isValidUtf8()) {
      List<InputProblem> ps = new ArrayList<>(o.problems);
      ps.add(0, new InputProblem(file, text.badLine(), text.badColumn(), String.format(
          "not valid UTF-8 (byte 0x%02X); analysed with the bad bytes replaced, save the file as UTF-8", text.badByte())));
      return new Outcome(o.findings, ps);
    }
    return o;
  }

  private Outcome analyseText(Path file, String text, TypeUniverse universe, MethodSummaries summaries) {
    boolean template = prefilter && Prefilter.looksLikeTemplate(text);
    if (prefilter && !template && !Prefilter.mayHaveLockRegion(text, catalogue.lockMethodNames())) {
      return new Outcome(List.of(), List.of());
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    try {
      // bodies that cannot matter are blanked before parsing (the full mode parses everything)
      Skeleton.Result skeleton = prefilter && !template
          ? Skeleton.blank(text, Prefilter.lockToken(catalogue.lockMethodNames())) : null;
      ParseResult<CompilationUnit> r = Parsers.parse(skeleton != null ? skeleton.text() : text, text);
      if (!r.isSuccessful() || r.getResult().isEmpty()) {
        return parseProblem(file, r, text);
      }
      CompilationUnit cu = r.getResult().get();
      if (skeleton != null && skeleton.blankedAny()) {
        cu.setData(Skeleton.BLANKED, skeleton);
        cu.setData(FileAnalysis.FULL_TEXT, text);
      }
      return new Outcome(FileAnalysis.analyse(file, cu, catalogue, universe, summaries), List.of());
    } catch (StackOverflowError e) {
      return Outcome.problem(file, 0, 0, "too deeply nested to analyse (stack overflow); the rest of the run goes on");
    } catch (dev.sharedstate.lockcheck.locks.TooManyLocksHeld e) {
      return Outcome.problem(file, 0, 0, "too deeply nested to analyse (" + e.getMessage()
          + "); the rest of the run goes on");
    } catch (RuntimeException | LinkageError e) {
      return Outcome.problem(file, 0, 0, internalError(e));
    }
  }

  private static Outcome parseProblem(Path file, ParseResult<CompilationUnit> r, String text) {
    if (r.getProblems().isEmpty()) {
      return Outcome.problem(file, 0, 0, "cannot parse (no reason given by the parser)");
    }
    Problem p = r.getProblems().get(0);
    int line = 0;
    int col = 0;
    var loc = p.getLocation().flatMap(l -> l.toRange());
    if (loc.isPresent()) {
      line = loc.get().begin.line;
      col = loc.get().begin.column;
    }
    String msg = p.getMessage().strip();
    int nl = msg.indexOf('\n');
    if (nl > 0) {
      msg = msg.substring(0, nl).strip();
    }
    int expected = msg.indexOf(", expected one of");
    if (expected > 0) {
      msg = msg.substring(0, expected);
    }
    if (msg.length() > 160) {
      msg = msg.substring(0, 157) + "...";
    }
    String more = r.getProblems().size() > 1 ? " (and " + (r.getProblems().size() - 1) + " more)" : "";
    int marker = Prefilter.templateMarker(text);
    if (marker >= 0) {
      // a template (package ${package};): point at the placeholder, which is what needs fixing
      int l = 1;
      int c = 1;
      for (int i = 0; i < marker; i++) {
        if (text.charAt(i) == '\n') {
          l++;
          c = 1;
        } else {
          c++;
        }
      }
      if (line == 0 || l <= line) {
        return Outcome.problem(file, l, c, "cannot parse as Java: looks like a template (`"
            + text.substring(marker, Math.min(text.length(), marker + 2)).strip() + "` here), not Java source");
      }
    }
    if (line == 0) {
      line = 1;
      col = 1;
    }
    return Outcome.problem(file, line, col, "cannot parse as Java: " + msg + more);
  }

  /** Expands directories to their *.java files; reports missing paths, loops and unreadable folders. */
  static List<Path> collect(List<Path> paths, List<InputProblem> problems) {
    Set<Path> out = new LinkedHashSet<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        problems.add(new InputProblem(p, 0, 0, Files.isSymbolicLink(p)
            ? "broken symbolic link: its target does not exist" : "no such file or directory"));
        continue;
      }
      if (Files.isRegularFile(p)) {
        out.add(p);
        continue;
      }
      try {
        Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".java")) {
              out.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            String reason = switch (e) {
              case FileSystemLoopException l -> "symbolic link loop: skipped";
              case AccessDeniedException a -> "cannot read: permission denied";
              case NoSuchFileException n -> "broken symbolic link: its target does not exist";
              default -> "cannot read: " + e.getMessage();
            };
            if (!(e instanceof NoSuchFileException) || file.getFileName().toString().endsWith(".java")) {
              problems.add(new InputProblem(file, 0, 0, reason));
            }
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        problems.add(new InputProblem(p, 0, 0, "cannot read: " + e.getMessage()));
      }
    }
    return List.copyOf(out);
  }
}
