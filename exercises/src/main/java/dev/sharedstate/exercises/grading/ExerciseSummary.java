package dev.sharedstate.exercises.grading;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line per exercise when a test run ends: passed, failed (with how many tests), or not
 * started (with the chapter to read). Registered for {@code mvn test} through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class ExerciseSummary implements TestExecutionListener {
  private enum State { PASSED, FAILED, NOT_STARTED }

  private record Row(State state, int failed, int total, String note) {}

  private final Map<String, Row> rows = new TreeMap<>();
  private final PrintStream out;

  public ExerciseSummary() {
    this(System.out);
  }

  public ExerciseSummary(PrintStream out) {
    this.out = out;
  }

  private static Optional<Exercise> exercise(TestIdentifier id) {
    return id.getSource()
        .filter(ClassSource.class::isInstance)
        .map(s -> ((ClassSource) s).getJavaClass().getAnnotation(Exercise.class));
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    exercise(id).ifPresent(e -> rows.put(e.id(), new Row(State.NOT_STARTED, 0, 0, "read " + e.chapter())));
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (id.isTest()) {
      // Count the test for its exercise class, however deep it is (a parameterized or dynamic test's
      // parent is its method's container, not the class).
      current.merge(exerciseAncestor(id),
          new int[] {result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? 0 : 1, 1},
          (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
      return;
    }
    exercise(id).ifPresent(e -> {
      int[] counts = current.getOrDefault(id.getUniqueId(), new int[] {0, 0});
      boolean failed = counts[0] > 0 || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
      rows.put(e.id(), new Row(failed ? State.FAILED : State.PASSED, counts[0], counts[1], ""));
    });
  }

  private final Map<String, int[]> current = new java.util.HashMap<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    this.plan = plan;
  }

  /** The unique id of the nearest enclosing {@link Exercise} class of {@code id} (its parent if none). */
  private String exerciseAncestor(TestIdentifier id) {
    String parent = id.getParentId().orElse("");
    if (plan == null) return parent;
    Optional<TestIdentifier> at = plan.getParent(id);
    while (at.isPresent()) {
      if (exercise(at.get()).isPresent()) return at.get().getUniqueId();
      at = plan.getParent(at.get());
    }
    return parent;
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (rows.isEmpty()) return;
    out.println();
    out.println("Exercises:");
    rows.forEach((id, r) -> out.println(switch (r.state()) {
      case PASSED -> String.format("  %-32s passed (%d tests)", id, r.total());
      case FAILED -> String.format("  %-32s FAILED (%d of %d tests failed; messages above)", id, r.failed(), r.total());
      case NOT_STARTED -> String.format("  %-32s not started (%s, then edit the TODOs in %s/src)", id, r.note(), id);
    }));
    out.println();
    rows.clear();
    current.clear();
    plan = null;
  }
}
