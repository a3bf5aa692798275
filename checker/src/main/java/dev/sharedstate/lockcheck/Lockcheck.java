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

  private final Catalogue catalogue;
  private final List<Path> classpath;
  private final boolean prefilter;
  private final int threads;
  private final boolean verbose;
  private final long stackBytes;
  private final int release;

  private Lockcheck(Catalogue catalogue, List<Path> classpath, boolean prefilter, int threads, boolean verbose) {
    this(catalogue, classpath, prefilter, threads, verbose, DEFAULT_STACK_BYTES, 0);
  }

  private Lockcheck(Catalogue catalogue, List<Path> classpath, boolean prefilter, int threads, boolean verbose,
      long stackBytes, int release) {
    this.release = release;
    this.catalogue = catalogue;
    this.classpath = List.copyOf(classpath);
    this.prefilter = prefilter;
    this.threads = threads;
    this.verbose = verbose;
    this.stackBytes = stackBytes;
  }

  /** The stack size of the analysis threads (default 512 MiB, reserved lazily by the OS). */
  public Lockcheck withStackBytes(long bytes) {
    return new Lockcheck(catalogue, classpath, prefilter, threads, verbose, bytes, release);
  }

  /**
   * The Java release the checked code targets (0: unknown). With 21, 22 or 23, a blocking call or
   * {@code Object.wait()} inside {@code synchronized} is also reported as {@code virtual-thread-pinning}:
   * those releases have virtual threads (JEP 444) that pin their carrier in a monitor, which JDK 24
   * (JEP 491) fixed; before 21 there are no virtual threads.
   */
  public Lockcheck withRelease(int javaRelease) {
    return new Lockcheck(catalogue, classpath, prefilter, threads, verbose, stackBytes, javaRelease);
  }

  /** True when the target release pins virtual threads in monitors (21 to 23). */
  public static boolean releasePins(int javaRelease) {
    return javaRelease >= 21 && javaRelease <= 23;
  }

  /** A checker with the built-in catalogue of blocking calls and lock kinds, and no project config. */
  public static Lockcheck withDefaults() {
    return new Lockcheck(Catalogue.builtIn(), List.of(), true, Runtime.getRuntime().availableProcessors(), false);
  }

  /** Adds user catalogue files and immediate callers ({@code [qualified.Owner#]method}). */
  public Lockcheck withCatalogue(List<Path> catalogueFiles, Collection<String> immediateCallers) {
    List<ImmediateCaller> callers = immediateCallers.stream().map(ImmediateCaller::parse).toList();
    return new Lockcheck(catalogue.extendedWith(catalogueFiles, callers), classpath, prefilter, threads, verbose,
        stackBytes, release);
  }

  /** The catalogue changed by {@code change} (a project config's blocking and lock methods). */
  public Lockcheck withCatalogueData(java.util.function.UnaryOperator<Catalogue> change) {
    return new Lockcheck(change.apply(catalogue), classpath, prefilter, threads, verbose, stackBytes, release);
  }

  /** Jars and class folders whose types the checked sources use (for type resolution only). */
  public Lockcheck withClasspath(List<Path> entries) {
    return new Lockcheck(catalogue, entries, prefilter, threads, verbose, stackBytes, release);
  }

  /**
   * Turns the token pre-filter off: every file is parsed, with every body (no {@link Skeleton}
   * blanking); the full analysis, for comparison runs.
   */
  public Lockcheck withPrefilter(boolean on) {
    return new Lockcheck(catalogue, classpath, on, threads, verbose, stackBytes, release);
  }

  /** Number of files analysed in parallel (default: all processors). */
  public Lockcheck withThreads(int n) {
    return new Lockcheck(catalogue, classpath, prefilter, Math.max(1, n), verbose, stackBytes, release);
  }

  /** Adds stack traces to internal-error problems. */
  public Lockcheck withVerbose(boolean on) {
    return new Lockcheck(catalogue, classpath, prefilter, threads, on, stackBytes, release);
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  /** Checks Java source text as if it were the file {@code fileName} (used in locations). */
  public CheckResult checkSource(String fileName, String source) {
    TypeUniverse universe = new TypeUniverse(new LibraryTypes(classpath), new SourceIndex(List.of()), catalogue.declaredTypes());
    Outcome o = onBigStack(() -> analyseText(Path.of(fileName), source, universe, new MethodSummaries()));
    return new CheckResult(forRelease(o.findings), o.problems, 1);
  }

  /** Checks files and directories (recursively, every {@code *.java}). */
  public CheckResult check(List<Path> paths) {
    List<InputProblem> problems = new ArrayList<>();
    List<Path> files = collect(paths, problems);
    TypeUniverse universe = new TypeUniverse(new LibraryTypes(classpath), new SourceIndex(files), catalogue.declaredTypes());
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
        results.add(pool.submit(() -> analyseFile(f, universe, summaries)));
      }
      for (Future<Outcome> r : results) {
        Outcome o = r.get();
        findings.addAll(o.findings);
        problems.addAll(o.problems);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add(new InputProblem(Path.of("."), 0, 0, "interrupted before every file was analysed"));
    } catch (ExecutionException e) {
      problems.add(new InputProblem(Path.of("."), 0, 0, "internal error: " + e.getCause()));
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
    static Outcome problem(Path file, int line, int col, String reason) {
      return new Outcome(List.of(), List.of(new InputProblem(file, line, col, reason)));
    }
  }

  private Outcome onBigStack(java.util.concurrent.Callable<Outcome> work) {
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
      return Outcome.problem(Path.of("?"), 0, 0, "internal error: " + err[0]);
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
    } catch (IOException | OutOfMemoryError e) {
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
      }
      return new Outcome(FileAnalysis.analyse(file, cu, catalogue, universe, summaries), List.of());
    } catch (StackOverflowError e) {
      return Outcome.problem(file, 0, 0, "too deeply nested to analyse (stack overflow); the rest of the run goes on");
    } catch (dev.sharedstate.lockcheck.locks.TooManyLocksHeld e) {
      return Outcome.problem(file, 0, 0, "too deeply nested to analyse (" + e.getMessage()
          + "); the rest of the run goes on");
    } catch (RuntimeException | LinkageError e) {
      String reason = "internal error while analysing this file (" + e + "); please report it";
      if (verbose) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        reason += "\n" + sw;
      }
      return Outcome.problem(file, 0, 0, reason);
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
