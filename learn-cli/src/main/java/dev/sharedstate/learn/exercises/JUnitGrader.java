package dev.sharedstate.learn.exercises;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Grades in-process: compiles the target sources with the exercise's tests (javax.tools, so a compile
 * error is javac's own {@code file:line} message), then runs the test classes through the JUnit Platform
 * Launcher with {@code exercises.target} set, exactly as {@code mvn test} would, bounded by a timeout.
 */
public final class JUnitGrader implements Grader {
  private final String classPath;
  private final Duration timeout;

  /** @param classPath what the exercise code compiles and runs against (JUnit, the kv library, ...) */
  public JUnitGrader(String classPath, Duration timeout) {
    this.classPath = classPath;
    this.timeout = timeout;
  }

  /**
   * Grades against this JVM's class path; the timeout is {@code $LEARN_GRADE_TIMEOUT} seconds (default 120:
   * every exercise test has a timeout of its own, which reports where a stuck store is; this one is the
   * backstop for a test that cannot be stopped).
   */
  public static JUnitGrader withOwnClassPath() {
    return withClassPath(System.getProperty("java.class.path"));
  }

  /** Grades against the given class path, with the timeout of {@link #withOwnClassPath()}. */
  public static JUnitGrader withClassPath(String classPath) {
    var env = System.getenv("LEARN_GRADE_TIMEOUT");
    long seconds = env != null && env.matches("\\d+") ? Long.parseLong(env) : 120;
    return new JUnitGrader(classPath, Duration.ofSeconds(seconds));
  }

  @Override
  public Grade grade(Exercise exercise, Target target) {
    var sourcesRoot = target == Target.STARTER ? exercise.starterRoot() : exercise.referenceRoot();
    var tests = Sources.javaFiles(exercise.testRoot());
    if (tests.isEmpty()) {
      return new Grade.NotStarted("no tests found under " + exercise.testRoot());
    }
    Path out;
    try {
      out = Files.createTempDirectory("learn-grade");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      var files = new ArrayList<>(Sources.javaFiles(sourcesRoot));
      files.addAll(tests);
      // Paths relative to the checkout, as the learner sees them: exercises/exNN-name/src/.../X.java:12
      var root = exercise.dir().toAbsolutePath().getParent().getParent() + File.separator;
      var problems = compile(files, out).stream().map(d -> d.startsWith(root) ? d.substring(root.length()) : d).toList();
      if (!problems.isEmpty()) {
        return new Grade.CompileError(problems);
      }
      var classNames = tests.stream()
          .map(p -> exercise.testRoot().relativize(p).toString().replace(File.separatorChar, '.')
              .replaceFirst("\\.java$", ""))
          .filter(n -> n.substring(n.lastIndexOf('.') + 1).matches(".*Tests?"))
          .toList();
      return run(out, classNames, target);
    } finally {
      deleteQuietly(out);
    }
  }

  private List<String> compile(List<Path> files, Path out) {
    var javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      return List.of("no Java compiler in this runtime: run ./learn with a JDK, not a JRE");
    }
    var diagnostics = new DiagnosticCollector<JavaFileObject>();
    try (var fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      var units = fm.getJavaFileObjectsFromPaths(files);
      var task = javac.getTask(new StringWriter(), fm, diagnostics,
          List.of("-d", out.toString(), "-cp", classPath, "-proc:none", "-nowarn", "-encoding", "UTF-8"),
          null, units);
      if (Boolean.TRUE.equals(task.call())) {
        return List.of();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> "%s:%d: %s".formatted(
            d.getSource() == null ? "?" : d.getSource().getName(), d.getLineNumber(),
            d.getMessage(Locale.ROOT)))
        .toList();
  }

  private Grade run(Path classes, List<String> classNames, Target target) {
    var before = new HashSet<Thread>(Thread.getAllStackTraces().keySet());
    var failures = new ArrayList<String>();
    var passed = new AtomicInteger();
    var aborted = new AtomicInteger();
    var todo = new AtomicInteger();
    var skipReasons = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<String>());
    var error = new Throwable[1];
    var main = Thread.currentThread().getContextClassLoader();
    // Like surefire, keep the learner's prints and their threads' uncaught exceptions off our screen.
    var realOut = System.out;
    var realErr = System.err;
    var realHandler = Thread.getDefaultUncaughtExceptionHandler();
    var sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    var uncaught = java.util.Collections.synchronizedList(new ArrayList<String>());
    System.setOut(sink);
    System.setErr(sink);
    Thread.setDefaultUncaughtExceptionHandler((t, ex) -> uncaught.add("uncaught in thread \"" + t.getName() + "\": " + ex));
    // Lincheck (the exercises' model checker) caches instrumented classes by name: without this, a second
    // grading in this JVM (./learn watch) would run the learner's previous version of the same class.
    dev.sharedstate.exercises.grading.StoreCheck.forgetExerciseClasses();
    try (var loader = new ChildFirst(classes, getClass().getClassLoader())) {
      var worker = new Thread(() -> {
        Thread.currentThread().setContextClassLoader(loader);
        try {
          var builder = LauncherDiscoveryRequestBuilder.request()
              .configurationParameter("exercises.target", target.parameter());
          for (var name : classNames) {
            builder.selectors(selectClass(loader.loadClass(name)));
          }
          LauncherDiscoveryRequest request = builder.build();
          LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
              // The exercises' grading extension disables an untouched starter's tests, with the chapter to read.
              aborted.incrementAndGet();
              if (reason != null && !reason.isBlank()) {
                skipReasons.add(reason.strip());
              }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
              if (!id.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                  failures.add(id.getDisplayName() + ": " + message(result));
                }
                return;
              }
              switch (result.getStatus()) {
                case SUCCESSFUL -> passed.incrementAndGet();
                case ABORTED -> aborted.incrementAndGet();
                case FAILED -> {
                  if (result.getThrowable().filter(t -> t instanceof UnsupportedOperationException).isPresent()) {
                    todo.incrementAndGet();
                  }
                  failures.add(id.getDisplayName() + ": " + message(result));
                }
              }
            }
          });
        } catch (Throwable t) {
          error[0] = t;
        }
      }, "learn-grader");
      worker.setDaemon(true);
      worker.start();
      worker.join(timeout.toMillis());
      if (worker.isAlive()) {
        var stacks = new StringBuilder();
        Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> !before.contains(e.getKey()))
            .sorted(Comparator.comparing(e -> e.getKey().getName()))
            .forEach(e -> {
              stacks.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState()).append('\n');
              for (var frame : e.getValue()) {
                // The learner's frames matter; below them is only the test framework's machinery.
                if (frame.getClassName().startsWith("org.junit.") || frame.getClassName().startsWith("java.lang.invoke.")
                    || frame.getClassName().startsWith("jdk.internal.reflect.")) {
                  break;
                }
                stacks.append("    at ").append(frame).append('\n');
              }
            });
        worker.interrupt();
        return new Grade.TimedOut(timeout.toSeconds(), stacks.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Grade.Failed(0, 0, List.of("interrupted"));
    } finally {
      Thread.currentThread().setContextClassLoader(main);
      System.setOut(realOut);
      System.setErr(realErr);
      Thread.setDefaultUncaughtExceptionHandler(realHandler);
    }
    if (error[0] != null) {
      return new Grade.Failed(0, 0, List.of("could not run the tests: " + error[0]));
    }
    int total = passed.get() + aborted.get() + failures.size();
    if (total == 0) {
      return new Grade.NotStarted("no tests ran");
    }
    if (passed.get() == 0 && (aborted.get() == total || todo.get() + aborted.get() == total)) {
      return new Grade.NotStarted(!skipReasons.isEmpty() ? String.join("; ", skipReasons)
          : failures.isEmpty() ? "the tests were skipped: the starter is untouched"
          : "the starter still throws UnsupportedOperationException (its TODO)");
    }
    if (failures.isEmpty() && aborted.get() == 0) {
      return new Grade.Passed(passed.get());
    }
    uncaught.stream().distinct().limit(3).forEach(failures::add);
    return new Grade.Failed(passed.get(), total, List.copyOf(failures));
  }

  /**
   * Loads what was just compiled (the learner's current code and the tests) before anything of the same
   * name on the parent class path: the packaged exercises jar also holds the starters as shipped, and a
   * parent-first loader would grade those instead of the learner's edits.
   */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(Path classes, ClassLoader parent) throws IOException {
      super(new java.net.URL[] {classes.toUri().toURL()}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null && findResource(name.replace('.', '/') + ".class") != null) {
          c = findClass(name);
        }
        if (c == null) {
          return super.loadClass(name, resolve);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }

  private static String message(TestExecutionResult result) {
    return result.getThrowable()
        .map(t -> t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip())
        .orElse("failed");
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
