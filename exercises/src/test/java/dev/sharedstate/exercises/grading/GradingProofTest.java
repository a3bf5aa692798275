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
  /** Every exercise's test classes ({@code exNN-*}{@code /test/**}{@code /*Test.java}), found in the folders. */
  static final List<String> EXERCISE_TESTS = exerciseTests();

  static List<String> exerciseTests() {
    var out = new ArrayList<String>();
    try (var dirs = Files.list(Grader.exercisesRoot())) {
      for (Path ex : dirs.filter(p -> p.getFileName().toString().matches("ex\\d\\d-.*")).sorted().toList()) {
        Path test = ex.resolve("test");
        if (!Files.isDirectory(test)) continue;
        try (var walk = Files.walk(test)) {
          walk.filter(p -> p.toString().endsWith("Test.java")).sorted().forEach(p -> out.add(
              test.relativize(p).toString().replace(java.io.File.separatorChar, '.').replaceFirst("\\.java$", "")));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

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
      var s = run(c, Map.of(Grader.TARGET, "starter", Grader.FORCE, "true", Grader.FAIL_FAST, "true"));
      assertTrue(s.getTotalFailureCount() > 0, c + ": the untouched starter passed every test, so the tests prove nothing");
    }));
  }

  /**
   * Every proof solution graded once (CI), or {@code -Dexercises.proof.runs=N} times each with a count of the
   * verdicts appended to {@code target/proof-flakiness.txt} (the flakiness measurement: {@code
   * exercises/proof-flakiness}). A right one must pass every test of its exercise; a wrong one must fail the
   * test its header names ({@code // CAUGHT BY: method (how)}), run alone, as a learner's code runs it; with
   * {@code -Dexercises.proof.full=true}, it is graded by the whole suite instead (slower: every test before the
   * one that catches it runs too).
   */
  @TestFactory
  @DisplayName("every wrong solution of the proof sets fails, every right one passes")
  Stream<DynamicTest> proofSets() {
    String cp = System.getProperty("java.class.path");
    String only = System.getProperty("exercises.proof.only", ""); // e.g. ex01,ex04 or right-: a quicker run
    int runs = Integer.getInteger("exercises.proof.runs", 1);
    boolean wrongOnly = runs > 1 && !Boolean.getBoolean("exercises.proof.right");
    boolean full = Boolean.getBoolean("exercises.proof.full");
    return Proof.variants(root()).stream()
        .filter(v -> only.isBlank() || java.util.Arrays.stream(only.split(",")).anyMatch(p -> v.exercise().startsWith(p.strip()) || v.toString().contains(p.strip())))
        .filter(v -> !wrongOnly || !v.right())
        .map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
          assertTrue(v.claim() != null, v + ": its first line must be a comment saying what is wrong (// WRONG: ...)"
              + " or right (// RIGHT: ...) about it");
          assertTrue(v.right() || v.caughtBy() != null, v + ": its second line must name the test that catches it:"
              + " // CAUGHT BY: testMethod (interleaving, forced schedule or load)");
          int asClaimed = 0;
          long millis = 0;
          String firstBad = null;
          String caughtBy = "";
          for (int i = 0; i < runs; i++) {
            Proof.Outcome o = Proof.run(v, root(), cp, full);
            millis += o.millis();
            assertTrue(o.tests() > 0, v + ": no test ran (does " + v.caughtBy() + " name a test method of "
                + v.exercise() + "?)");
            boolean ok = v.right() ? o.passed() : o.failed() > 0;
            if (ok) asClaimed++;
            else if (firstBad == null) firstBad = o.summary();
            if (!v.right() && caughtBy.isEmpty() && !o.failures().isEmpty()) {
              String f = o.failures().get(0);
              // "display name: message", and a display name may hold a colon itself: keep the start.
              String first = f.lines().findFirst().orElse(f);
              caughtBy = first.length() > 110 ? first.substring(0, 110) + "..." : first;
            }
          }
          // Which test catches each wrong solution (in the test report's output): the proof's own record.
          if (!v.right()) System.out.println(v + " caught by: " + caughtBy + " (" + v.how() + ")");
          if (runs > 1) {
            Path report = Path.of("target", "proof-flakiness.txt");
            Files.writeString(report, String.format("%-32s %-40s %s in %d of %d runs, %d ms a run  [%s]%n", v.exercise(),
                v.name(), v.right() ? "passed" : "failed", asClaimed, runs, millis / runs, caughtBy),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
          }
          if (v.right()) {
            assertEquals(runs, asClaimed, "a right solution (" + v.claim() + ") was rejected: " + firstBad);
          } else {
            assertEquals(runs, asClaimed, "a wrong solution (" + v.claim() + ") passed: " + firstBad);
          }
        }));
  }

  @Test
  @DisplayName("every graded exercise keeps at least 5 wrong and 2 right solutions under proof/")
  void proofSetsAreThere() throws IOException {
    var variants = Proof.variants(root());
    try (var dirs = Files.list(root())) {
      for (Path ex : dirs.filter(p -> p.getFileName().toString().matches("ex\\d\\d-.*")
          && Files.isDirectory(p.resolve("test"))).toList()) {
        String id = ex.getFileName().toString();
        long wrong = variants.stream().filter(v -> v.exercise().equals(id) && !v.right()).count();
        long right = variants.stream().filter(v -> v.exercise().equals(id) && v.right()).count();
        assertTrue(wrong >= 5 && right >= 2, id + " has " + wrong + " wrong and " + right
            + " right solutions under proof/: keep at least 5 and 2");
      }
    }
  }

  private static Path root() {
    return Grader.exercisesRoot();
  }

  private static List<Path> javaFiles(String glob) throws IOException {
    var out = new ArrayList<Path>();
    try (var dirs = Files.newDirectoryStream(root(), "ex[0-9][0-9]-*")) {
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
