package dev.sharedstate.exercises.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Lockcheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The CI proof that the graders are trustworthy, run by plain {@code mvn test}: every reference passes
 * every test, every starter (forced) fails at least one, and lockcheck flags the ex05 starter and no
 * reference.
 */
class GradingProofTest {
  /** Every exercise test class. Adding an exercise adds its test class here. */
  static final List<String> EXERCISE_TESTS = List.of(
      "dev.sharedstate.exercises.ex01.ShareTheMapTest",
      "dev.sharedstate.exercises.ex02.LockNeverEscapesTest",
      "dev.sharedstate.exercises.ex03.NoLostUpdatesTest",
      "dev.sharedstate.exercises.ex04.ShardedStoreTest",
      "dev.sharedstate.exercises.ex05.LockAcrossBlockingTest",
      "dev.sharedstate.exercises.ex06.OwnerThreadTest",
      "dev.sharedstate.exercises.ex07.WaitWithTheRightLockTest");

  private static TestExecutionSummary run(String testClass, Map<String, String> params) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testClass))
        .configurationParameters(params)
        .build();
    var launcher = LauncherFactory.create(
        LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    var summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    return summary.getSummary();
  }

  private static String failures(TestExecutionSummary s) {
    var out = new StringBuilder();
    s.getFailures().forEach(f -> out.append("\n  ").append(f.getTestIdentifier().getDisplayName())
        .append(": ").append(f.getException()));
    return out.toString();
  }

  @TestFactory
  @DisplayName("every reference solution passes every test of its exercise")
  Stream<DynamicTest> referencesPass() {
    return EXERCISE_TESTS.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
      var s = run(c, Map.of(Grader.TARGET, "reference"));
      assertTrue(s.getTestsFoundCount() > 0, c + " found no tests");
      assertEquals(0, s.getTotalFailureCount(), "reference failed" + failures(s));
      assertEquals(0, s.getTestsSkippedCount() + s.getTestsAbortedCount(), "reference tests skipped or aborted");
      assertEquals(s.getTestsFoundCount(), s.getTestsSucceededCount());
    }));
  }

  @TestFactory
  @DisplayName("every starter, forced to run, fails at least one test")
  Stream<DynamicTest> startersFail() {
    return EXERCISE_TESTS.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
      var s = run(c, Map.of(Grader.TARGET, "starter", Grader.FORCE, "true"));
      assertTrue(s.getTotalFailureCount() > 0, c + ": the untouched starter passed every test, so the tests prove nothing");
    }));
  }

  private static Path root() {
    return Grader.exercisesRoot();
  }

  private static List<Path> javaFiles(String glob) throws IOException {
    var out = new ArrayList<Path>();
    try (var dirs = Files.newDirectoryStream(root(), "ex0*")) {
      for (Path ex : dirs) {
        Path d = ex.resolve(glob);
        if (!Files.isDirectory(d)) continue;
        try (var walk = Files.walk(d)) {
          walk.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("lockcheck flags the ex05 starter (a lock held across join)")
  void lockcheckFlagsEx05Starter() throws IOException {
    Path starter = root().resolve("ex05-lock-across-blocking/src/dev/sharedstate/exercises/ex05/SlowBackedStore.java");
    CheckResult r = Lockcheck.withDefaults().check(List.of(starter));
    assertTrue(r.problems().isEmpty(), "lockcheck could not read the starter: " + r.problems());
    assertTrue(r.findings().stream().anyMatch(f -> f.ruleId().equals("lock-held-across-blocking-call")),
        "lockcheck found nothing in the ex05 starter: " + r.findings());
  }

  @Test
  @DisplayName("lockcheck reports nothing on any reference solution")
  void lockcheckQuietOnReferences() throws IOException {
    List<Path> refs = javaFiles("reference");
    assertFalse(refs.isEmpty(), "no reference files found under " + root().toAbsolutePath());
    CheckResult r = Lockcheck.withDefaults().check(refs);
    assertTrue(r.problems().isEmpty(), "lockcheck could not read: " + r.problems());
    assertEquals(List.of(), r.findings(), "lockcheck findings on reference solutions");
  }
}
