package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, family 7: a failure while analysing one file (out of memory, stack overflow, a bug)
 * loses that file only. Each test injects the failure into one of five files through the checker's
 * fault hook, on the thread analysing it, and checks that the four others are reported in full and
 * the failed one is named as a problem.
 */
@Timeout(60)
class RunIsolationTest {

  @TempDir
  Path dir;

  private List<Path> fiveFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String name : List.of("A", "B", "C", "D", "E")) {
      files.add(TestFiles.write(dir, "p/" + name + ".java", """
          package p;
          class %s {
            synchronized void m() throws InterruptedException {
              Thread.sleep(10);
            }
          }
          """.formatted(name)));
    }
    return files;
  }

  private CheckResult run(Consumer<Path> hook) throws IOException {
    fiveFiles();
    return Lockcheck.withDefaults().withThreads(2).withFaultInjection(hook).check(List.of(dir));
  }

  private static Consumer<Path> on(String fileName, Runnable fail) {
    return f -> {
      if (f.getFileName().toString().equals(fileName)) {
        fail.run();
      }
    };
  }

  private static void everyOtherFileFound(CheckResult r, String failed) {
    List<String> found = r.findings().stream().map(f -> f.file().getFileName().toString()).sorted().toList();
    List<String> expected = new ArrayList<>(List.of("A.java", "B.java", "C.java", "D.java", "E.java"));
    expected.remove(failed);
    assertEquals(expected, found);
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals(failed, r.problems().get(0).file().getFileName().toString());
    assertEquals(2, r.exitCode());
  }

  @Test
  void aFileThatRunsOutOfMemoryEvenAloneIsAProblemAndTheOthersAreReported() throws IOException {
    CheckResult r = run(on("C.java", () -> {
      throw new OutOfMemoryError("Java heap space");
    }));
    everyOtherFileFound(r, "C.java");
    assertTrue(r.problems().get(0).reason().startsWith("ran out of memory while analysing this file"),
        r.problems().get(0).reason());
    assertTrue(r.problems().get(0).reason().contains("LOCKCHECK_JAVA_OPTS=-Xmx4g"), r.problems().get(0).reason());
  }

  @Test
  void aFileThatRanOutOfMemoryBesideOthersIsTriedAgainAloneAndLosesNothing() throws IOException {
    Set<Path> failedOnce = ConcurrentHashMap.newKeySet();
    CheckResult r = run(f -> {
      if (f.getFileName().toString().equals("B.java") && failedOnce.add(f)) {
        throw new OutOfMemoryError("Java heap space");
      }
    });
    assertEquals(5, r.findings().size(), r.findings().toString());
    assertEquals(List.of(), r.problems());
  }

  @Test
  void aStackOverflowLosesThatFileOnly() throws IOException {
    CheckResult r = run(on("A.java", () -> {
      throw new StackOverflowError();
    }));
    everyOtherFileFound(r, "A.java");
    assertTrue(r.problems().get(0).reason().contains("stack overflow"), r.problems().get(0).reason());
  }

  @Test
  void anInternalErrorLosesThatFileOnly() throws IOException {
    CheckResult r = run(on("E.java", () -> {
      throw new IllegalStateException("a bug");
    }));
    everyOtherFileFound(r, "E.java");
    assertTrue(r.problems().get(0).reason().startsWith("internal error while analysing this file"),
        r.problems().get(0).reason());
    assertTrue(r.problems().get(0).reason().contains("a bug"), r.problems().get(0).reason());
  }

  @Test
  void anErrorThatIsNotAnExceptionLosesThatFileOnly() throws IOException {
    CheckResult r = run(on("D.java", () -> {
      throw new AssertionError("not an exception");
    }));
    everyOtherFileFound(r, "D.java");
  }

  /**
   * The cache of parsed trees is bounded; the findings do not depend on its size. Every fixture
   * project (chains across files, implementations in other files) gives the same findings with a
   * cache that holds no tree at all as with the default.
   */
  @Test
  void findingsDoNotDependOnTheParsedTreeCache() throws IOException {
    for (Path project : List.of(FixtureTest.FIXTURES.resolve("project"), FixtureTest.FIXTURES.resolve("interprocedural"))) {
      CheckResult big = Lockcheck.withDefaults().check(List.of(project));
      CheckResult none = Lockcheck.withDefaults().withParsedTreeCache(1).check(List.of(project));
      assertEquals(render(big), render(none), project.toString());
      assertTrue(big.findings().size() >= 3, project + ": " + big.findings());
    }
  }

  private static List<String> render(CheckResult r) {
    return r.findings().stream().map(f -> f.file().getFileName() + ":" + f.line() + " " + f.message()).toList();
  }
}
