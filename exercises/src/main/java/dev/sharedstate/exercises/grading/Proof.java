package dev.sharedstate.exercises.grading;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The proof that the graders grade: each exercise keeps, under {@code proof/}, solutions that must fail
 * ({@code wrong-NAME/}) and solutions that must pass ({@code right-NAME/}), each a replacement for some of
 * the starter's files (same paths as under {@code src/}), whose first line is a comment saying what is
 * wrong or right about it. A wrong one's second line names the test that catches it and how: {@code //
 * CAUGHT BY: linearizable (interleaving)}. {@link #run} compiles one with the exercise's tests and grades it
 * exactly as a learner's code is graded: a right one with every test, a wrong one with the test that its
 * header names (the whole suite with {@code full}), so that CI pays for one check per wrong solution.
 *
 * <p>{@code java -cp ... dev.sharedstate.exercises.grading.Proof [RUNS] [exNN ...]} runs every wrong solution
 * RUNS times (default 5) and prints how often each failed: the flakiness measurement.
 */
public final class Proof {
  private Proof() {}

  /** One solution of the proof sets. */
  public record Variant(String exercise, String name, boolean right, Path dir, String claim, String caughtBy, String how) {
    @Override
    public String toString() {
      return exercise + "/proof/" + name;
    }
  }

  /** What grading a variant gave. */
  public record Outcome(Variant variant, int tests, int failed, int skipped, List<String> failures, long millis) {
    public boolean passed() {
      return tests > 0 && failed == 0 && skipped == 0;
    }

    public String summary() {
      return variant + ": " + (failed > 0 ? "FAILED " + failed + " of " + tests : tests == 0 ? "no tests ran" : "passed " + tests)
          + (skipped > 0 ? ", " + skipped + " skipped" : "") + " in " + millis + " ms"
          + (failures.isEmpty() ? "" : "\n    " + String.join("\n    ", failures));
    }
  }

  /** Every variant under {@code root/exNN-*}{@code /proof}: the right ones, then the wrong ones, exercises in order. */
  public static List<Variant> variants(Path root) {
    var out = new ArrayList<Variant>();
    try (Stream<Path> exercises = Files.list(root)) {
      for (Path ex : exercises.filter(p -> p.getFileName().toString().matches("ex\\d\\d-.*")).sorted().toList()) {
        Path proof = ex.resolve("proof");
        if (!Files.isDirectory(proof)) continue;
        try (Stream<Path> dirs = Files.list(proof)) {
          for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
            String name = d.getFileName().toString();
            if (!name.startsWith("wrong-") && !name.startsWith("right-")) continue;
            String[] caught = caughtBy(d);
            out.add(new Variant(ex.getFileName().toString(), name, name.startsWith("right-"), d, claim(d), caught[0], caught[1]));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Right ones first: a wrong solution may leave threads stuck (a deadlock the model checker found keeps
    // its threads), and a right one must be judged in a JVM no wrong one has touched.
    out.sort(Comparator.comparing((Variant v) -> !v.right()));
    return out;
  }

  /** The first line of the variant's first file: {@code // WRONG: ...} or {@code // RIGHT: ...}. */
  static String claim(Path dir) throws IOException {
    for (Path f : javaFiles(dir)) {
      String first = Files.readAllLines(f).stream().findFirst().orElse("").strip();
      if (first.startsWith("// WRONG:") || first.startsWith("// RIGHT:")) return first.substring(3);
    }
    return null;
  }

  /**
   * The second line of the variant's first file, {@code // CAUGHT BY: method (how)}: the test method, and
   * how it catches the solution (interleaving, forced schedule, load); nulls where there is none.
   */
  static String[] caughtBy(Path dir) throws IOException {
    for (Path f : javaFiles(dir)) {
      List<String> lines = Files.readAllLines(f);
      if (lines.size() < 2) continue;
      var m = java.util.regex.Pattern.compile("//\\s*CAUGHT BY:\\s*(\\w+)\\s*(?:\\((.*)\\))?.*").matcher(lines.get(1).strip());
      if (m.matches()) return new String[] {m.group(1), m.group(2)};
    }
    return new String[] {null, null};
  }

  static List<Path> javaFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> w = Files.walk(dir)) {
      return w.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  /**
   * Compiles {@code v} (over the exercise's starter files) with the exercise's tests and runs them as
   * grading does, the starter forced; a wrong variant stops at its first failing test.
   */
  public static Outcome run(Variant v, Path root, String classPath) {
    return run(v, root, classPath, false);
  }

  /** {@link #run(Variant, Path, String)}; with {@code full}, a wrong variant too is graded by every test (fail-fast). */
  public static Outcome run(Variant v, Path root, String classPath, boolean full) {
    long start = System.nanoTime();
    Path out;
    try {
      out = Files.createTempDirectory("proof-" + v.exercise() + "-" + v.name());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path ex = root.resolve(v.exercise());
      Map<Path, Path> sources = new LinkedHashMap<>();
      for (Path f : javaFiles(ex.resolve("src"))) sources.put(ex.resolve("src").relativize(f), f);
      for (Path f : javaFiles(v.dir())) sources.put(v.dir().relativize(f), f);
      var files = new ArrayList<>(sources.values());
      List<Path> tests = javaFiles(ex.resolve("test"));
      files.addAll(tests);
      List<String> errors = compile(files, out, classPath);
      if (!errors.isEmpty()) {
        return new Outcome(v, 1, 1, 0, List.of("does not compile: " + String.join("; ", errors)), millis(start));
      }
      var classNames = tests.stream()
          .map(p -> ex.resolve("test").relativize(p).toString().replace(File.separatorChar, '.').replaceFirst("\\.java$", ""))
          .filter(n -> n.endsWith("Test"))
          .toList();
      return test(v, out, classNames, start, v.right() || full ? null : v.caughtBy());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(out);
    }
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** One file manager for every compilation of a run: it keeps the class path's jars open and indexed. */
  private static javax.tools.StandardJavaFileManager fileManager;

  private static synchronized List<String> compile(List<Path> files, Path out, String classPath) throws IOException {
    var javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) return List.of("no Java compiler in this runtime");
    var diagnostics = new DiagnosticCollector<JavaFileObject>();
    if (fileManager == null) fileManager = javac.getStandardFileManager(null, Locale.ROOT, null);
    var fm = fileManager;
    var task = javac.getTask(new StringWriter(), fm, diagnostics,
        List.of("-d", out.toString(), "-cp", classPath, "-proc:none", "-nowarn", "-encoding", "UTF-8"),
        null, fm.getJavaFileObjectsFromPaths(files));
    if (Boolean.TRUE.equals(task.call())) return List.of();
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> (d.getSource() == null ? "?" : Path.of(d.getSource().getName()).getFileName()) + ":" + d.getLineNumber()
            + ": " + d.getMessage(Locale.ROOT))
        .limit(5)
        .toList();
  }

  private static Outcome test(Variant v, Path classes, List<String> classNames, long start, String onlyMethod) throws IOException {
    var failures = new ArrayList<String>();
    int[] counts = new int[3]; // tests, failed, skipped
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    StoreCheck.forgetExerciseClasses(); // this variant's classes have the starter's names: see there
    try (var loader = new ChildFirst(classes, Proof.class.getClassLoader())) {
      self.setContextClassLoader(loader);
      var request = LauncherDiscoveryRequestBuilder.request()
          .configurationParameter(Grader.TARGET, "starter")
          .configurationParameter(Grader.FORCE, "true")
          .configurationParameter(Grader.FAIL_FAST, String.valueOf(!v.right()));
      for (String n : classNames) {
        Class<?> c = loader.loadClass(n);
        if (onlyMethod == null) {
          request.selectors(selectClass(c));
          continue;
        }
        for (var m : c.getDeclaredMethods()) {
          if (m.getName().equals(onlyMethod)) request.selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(c, m));
        }
      }
      var launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
      launcher.execute(request.build(), new TestExecutionListener() {
        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
          if (id.isTest()) counts[2]++;
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult r) {
          if (!id.isTest() && r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) return;
          if (id.isTest()) counts[0]++;
          if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            counts[1]++;
            String m = r.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse("failed");
            failures.add(id.getDisplayName() + ": " + Failures.clip(m, 3, 300).replace("\n", " / "));
          }
        }
      });
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } finally {
      self.setContextClassLoader(before);
    }
    return new Outcome(v, counts[0], counts[1], counts[2], failures, millis(start));
  }

  /** Loads the variant and the tests just compiled before the starter classes of the same names. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(Path classes, ClassLoader parent) throws IOException {
      super(new java.net.URL[] {classes.toUri().toURL()}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null && findResource(name.replace('.', '/') + ".class") != null) c = findClass(name);
        if (c == null) return super.loadClass(name, resolve);
        if (resolve) resolveClass(c);
        return c;
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }

  /** The flakiness measurement: every wrong variant (of the exercises named, or all) RUNS times. */
  public static void main(String[] args) {
    int runs = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 5;
    var only = new ArrayList<String>();
    for (String a : args) if (!a.matches("\\d+")) only.add(a);
    Path root = Grader.exercisesRoot();
    String cp = System.getProperty("java.class.path");
    for (Variant v : variants(root)) {
      if (!only.isEmpty() && only.stream().noneMatch(v.exercise()::startsWith)) continue;
      int caught = 0;
      long total = 0;
      var firstFailures = new ArrayList<String>();
      for (int i = 0; i < runs; i++) {
        Outcome o = run(v, root, cp);
        total += o.millis();
        boolean ok = v.right() ? o.passed() : o.failed() > 0;
        if (ok) caught++;
        if (!o.failures().isEmpty() && firstFailures.size() < 1) firstFailures.add(o.failures().get(0));
        if (!ok) System.out.println("  run " + (i + 1) + " gave the wrong verdict: " + o.summary());
      }
      System.out.printf("%-34s %-40s %s %d/%d runs, %d ms a run%s%n", v.exercise(), v.name(),
          v.right() ? "passed" : "failed", caught, runs, total / runs,
          firstFailures.isEmpty() ? "" : "  [" + Failures.clip(firstFailures.get(0), 1, 140) + "]");
    }
  }
}
