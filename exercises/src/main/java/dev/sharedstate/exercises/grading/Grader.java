package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit extension behind {@link Exercise}: picks the target (the learner's code, or the reference
 * with {@code exercises.target=reference}), skips an untouched starter as "not started" (unless {@code
 * exercises.force=true}), and turns a timeout into a failure that shows where the server's threads are
 * stuck.
 */
public final class Grader implements ExecutionCondition, ParameterResolver, TestExecutionExceptionHandler {
  /** JUnit configuration parameter (or system property): {@code starter} (default) or {@code reference}. */
  public static final String TARGET = "exercises.target";
  /** JUnit configuration parameter (or system property): run untouched starters anyway. */
  public static final String FORCE = "exercises.force";
  /** JUnit configuration parameter: once a test failed, skip the rest (the proof of the graders uses it). */
  public static final String FAIL_FAST = "exercises.failFast";
  /** Longest failure message kept, in lines and characters: a learner reads it in a terminal. */
  static final int MAX_LINES = 60, MAX_CHARS = 6_000;

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Grader.class);

  static String setting(ExtensionContext ctx, String key, String fallback) {
    return ctx.getConfigurationParameter(key).or(() -> java.util.Optional.ofNullable(System.getProperty(key))).orElse(fallback);
  }

  static Path exercisesRoot() {
    String prop = System.getProperty("exercises.root");
    if (prop != null) return Path.of(prop);
    return Files.isDirectory(Path.of("exercises")) ? Path.of("exercises") : Path.of(".");
  }

  private static Exercise exercise(ExtensionContext ctx) {
    Class<?> c = ctx.getRequiredTestClass();
    Exercise e = c.getAnnotation(Exercise.class);
    if (e == null) throw new IllegalStateException(c + " uses Grader without @Exercise");
    return e;
  }

  private static boolean reference(ExtensionContext ctx) {
    return setting(ctx, TARGET, "starter").equals("reference");
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
    if (ctx.getTestClass().isEmpty()) return ConditionEvaluationResult.enabled("no class");
    if (Boolean.parseBoolean(setting(ctx, FAIL_FAST, "false")) && ctx.getRoot().getStore(NS).get("failed") != null) {
      return ConditionEvaluationResult.disabled("skipped: an earlier test failed (" + FAIL_FAST + ")");
    }
    Exercise e = exercise(ctx);
    if (reference(ctx) || Boolean.parseBoolean(setting(ctx, FORCE, "false"))) {
      return ConditionEvaluationResult.enabled("graded");
    }
    if (StarterManifest.load(exercisesRoot()).untouched(e.id())) {
      return ConditionEvaluationResult.disabled(
          "not started: " + e.id() + " is as shipped. Read " + e.chapter() + ", then edit the TODOs in "
              + e.id() + "/src (see " + e.id() + "/README.md).");
    }
    return ConditionEvaluationResult.enabled("started");
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    return p.getParameter().getType() == ServerFactory.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    Exercise e = exercise(ctx);
    Class<?> target = e.starter();
    if (reference(ctx)) {
      String name = target.getPackageName() + ".reference." + target.getSimpleName();
      try {
        target = Class.forName(name, true, target.getClassLoader());
      } catch (ClassNotFoundException ex) {
        throw new IllegalStateException("no reference solution " + name, ex);
      }
    }
    Class<?> chosen = target;
    return new ServerFactory() {
      @Override
      public Class<?> targetClass() {
        return chosen;
      }

      @Override
      public KvServer start(ServerConfig config, Object... more) throws java.io.IOException {
      Method start = null;
      for (Method m : chosen.getMethods()) {
        if (m.getName().equals("start") && java.lang.reflect.Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 1 + more.length && m.getParameterTypes()[0] == ServerConfig.class) {
          start = m;
        }
      }
      if (start == null) {
        throw new IllegalStateException(chosen.getName() + " must keep its public static KvServer start(ServerConfig"
            + ", ...".repeat(more.length) + ") method: the tests start your server through it");
      }
      try {
        var all = new Object[1 + more.length];
        all[0] = config;
        System.arraycopy(more, 0, all, 1, more.length);
        return (KvServer) start.invoke(null, all);
      } catch (InvocationTargetException ex) {
        if (ex.getCause() instanceof java.io.IOException io) throw io;
        if (ex.getCause() instanceof RuntimeException re) throw re;
        throw new IllegalStateException(ex.getCause());
      } catch (IllegalAccessException ex) {
        throw new IllegalStateException(ex);
      }
      }
    };
  }

  @Override
  public void handleTestExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
    ctx.getRoot().getStore(NS).put("failed", Boolean.TRUE);
    throw learnerFacing(t);
  }

  /**
   * What the learner reads for {@code t}: a timeout says where the threads are stuck, an exception thrown
   * by the exercise's code says so (never "timed out"), and every message is kept to a terminal's worth.
   */
  static Throwable learnerFacing(Throwable t) {
    if (t instanceof TimeoutException
        || (t instanceof AssertionError && String.valueOf(t.getMessage()).contains("timed out after"))) {
      var failure = new AssertionError(
          "the test did not finish in time: the server or the store is stuck (a deadlock, or a lock held while"
              + " waiting?). Where the threads running exercise code were:\n" + Stacks.stuck());
      failure.setStackTrace(new StackTraceElement[0]);
      return failure;
    }
    if (t instanceof AssertionError) {
      String m = String.valueOf(t.getMessage());
      if (m.length() <= MAX_CHARS && m.lines().count() <= MAX_LINES) return t;
      var clipped = new AssertionError(Failures.clip(m, MAX_LINES, MAX_CHARS));
      clipped.setStackTrace(t.getStackTrace());
      return clipped;
    }
    // Anything else was thrown by the code under test (or reached the test through a client).
    var frames = Stacks.learnerFrames(t, 4);
    String what = t.getClass().getName().startsWith("redis.clients.")
        ? "a client got an error instead of a reply: " + t.getMessage()
        : "the exercise's code threw " + t;
    var failure = new AssertionError(Failures.clip(what, 6, 1_500)
        + (frames.isEmpty() ? "" : "\n  " + String.join("\n  ", frames)), t);
    return failure;
  }

  /** Where the threads running exercise or server code are; see {@link Stacks#stuck()}. */
  public static String stuckThreads() {
    return Stacks.stuck();
  }
}
