package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaParser 3.28 cannot parse a local enum (javaparser #3990): the file is parsed again with each
 * local enum as a same-length local class, so the rest of it is analysed at its own positions.
 */
class LocalEnumTest {

  @TempDir
  Path dir;

  private CheckResult check(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
    return Lockcheck.withDefaults().check(List.of(dir.resolve(name)));
  }

  @Test
  void aFindingInAMethodDeclaringALocalEnumIsAtItsLineAndColumn() throws IOException {
    String text = """
        class Waiter {
          private final Object lock = new Object();

          String state(boolean done) throws InterruptedException {
            enum Phase implements Comparable<Phase> {
              STARTED("s") { },
              STOPPED("t");
              private final String tag;
              Phase(String tag) { this.tag = tag; }
            }
            synchronized (lock) {
        \tThread.sleep(10);
            }
            enum Empty { }
            return (done ? Phase.STOPPED : Phase.STARTED).tag;
          }
        }
        """;
    CheckResult r = check("Waiter.java", text);
    assertEquals(List.of(), r.problems(), "parsed");
    List<Finding> found = r.findings().stream().filter(f -> f.ruleId().equals("lock-held-across-blocking-call")).toList();
    assertEquals(1, found.size(), found.toString());
    assertEquals(12, found.get(0).line());
    assertEquals(2, found.get(0).column()); // after the tab: JavaParser counts a tab as one column
  }

  @Test
  void aFileBrokenForAnotherReasonStillReportsTheParseError() throws IOException {
    CheckResult r = check("Broken.java", """
        class Broken {
          synchronized void m() {
            enum Mode { A, B }
            int x = ;
          }
        }
        """);
    assertEquals(1, r.problems().size(), r.toString());
    InputProblem p = r.problems().get(0);
    assertTrue(p.reason().startsWith("cannot parse as Java"), p.reason());
    assertEquals(3, p.line(), "the first parse's error: at the local enum, " + p);
  }
}
