package dev.sharedstate.chapters.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner on one synthetic chapter that exercises every path: a pass, a mismatch, a compile
 * error, a runaway loop, a deadlock that ignores stop(), System.exit, hidden lines, skip,
 * compile-only, unresolved references, exceptions, and lockcheck-fail blocks (with a stand-in
 * lockcheck, so the runner is tested independently of the real engine).
 */
@Timeout(120)
class ChapterRunnerTest {

  static final String MD =
      """
      # Synthetic

      ```java
      import java.util.ArrayList;
      var list = new ArrayList<String>(); list.add("a");
      System.out.println(list);
      ```

      ```output
      [a]
      ```

      ```java
      System.out.println("two");
      ```

      ```output
      three
      ```

      ```java
      int fine = 1;
      int wrong = "s";
      ```

      ```java timeout=500ms
      while (true) { Thread.onSpinWait(); }
      ```

      ```java
      /* hidden */ String secret = "hidden-ran";
      System.out.println(secret);
      ```

      ```output
      hidden-ran
      ```

      ```java
      System.exit(3);
      ```

      ```java
      System.out.println(list.size() + " " + secret + " after exit");
      ```

      ```output
      1 hidden-ran after exit
      ```

      ```java skip="needs a network"
      this is not java
      ```

      ```java compile-only="loops forever"
      while (true) { list.add("compile-only"); }
      ```

      ```java
      System.out.println("took " + System.nanoTime() + " ns");
      System.out.println("x\\ny\\nz\\nlist " + list.size());
      ```

      ```output
      took [..] ns
      ...
      list 1
      ```

      ```java
      System.out.println("found the lock taken [..] times");
      ```

      ```output
      found the lock taken [..] times
      ```

      ```java
      void usesMissing() { undefinedThing(); }
      ```

      ```java
      throw new IllegalStateException("boom");
      ```

      ```java
      System.out.println("no fence");
      ```

      ```java
      class Store { synchronized void put() { try { Thread.sleep(1); } catch (InterruptedException e) {} } }
      ```

      ```java lockcheck-fail
      class Flagged { synchronized void f() throws InterruptedException { Thread.sleep(10); } }
      ```

      ```output
      Flagged.java:1: flagged
      ```

      ```java lockcheck-fail
      int notDeclaredOnly = 1;
      System.out.println("never runs");
      ```

      ```java timeout=1s
      Object m = new Object();
      new Thread(() -> { synchronized (m) { try { Thread.sleep(60_000); } catch (InterruptedException e) {} } }).start();
      Thread.sleep(200);
      synchronized (m) { System.out.println("never"); }
      ```

      ```java
      System.out.println("still going " + list.size());
      ```

      ```output
      still going 1
      ```
      """;

  static List<BlockResult> results;
  static Duration elapsed;

  /** A stand-in for lockcheck: flags a unit that sleeps, and "prints" a report naming the file. */
  static final class FakeGate extends LockcheckGate {
    @Override
    protected CheckResult analyse(Unit unit) {
      List<Finding> findings = new ArrayList<>();
      if (unit.source().contains("Thread.sleep")) {
        findings.add(new Finding("lock-held-across-blocking-call", Path.of(unit.fileName()), 1, 1, "sleeps"));
      }
      return new CheckResult(findings, List.of());
    }

    @Override
    protected void invokeCli(String[] args, PrintWriter out, PrintWriter err) {
      out.println(args[1] + ":1: flagged");
    }
  }

  @BeforeAll
  static void runOnce() {
    Chapter chapter = new ChapterParser().parse(Path.of("99-synthetic.md"), MD);
    assertEquals(List.of(), chapter.problems());
    RunOptions options = RunOptions.defaults().withDefaultTimeout(Duration.ofSeconds(3));
    long t = System.nanoTime();
    List<BlockResult> heard = new ArrayList<>();
    results = new ChapterRunner(options, new FakeGate()).run(chapter, r -> {
      heard.add(r);
      System.out.printf("%6d ms %s %s%n", (System.nanoTime() - t) / 1_000_000, r.block().location(), r.getClass().getSimpleName());
      if (r instanceof BlockResult.Failed f) System.out.println(f.message());
    });
    elapsed = Duration.ofNanos(System.nanoTime() - t);
    assertEquals(results, heard, "the listener hears every result, in order");
  }

  static int lineOf(String text) {
    String[] lines = MD.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line contains " + text);
  }

  static BlockResult resultAt(String firstCode) {
    int line = lineOf(firstCode) - 1;
    return results.stream()
        .filter(r -> r.block().line() <= line && line <= r.block().line() + r.block().lines().size())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no block around line " + line));
  }

  static BlockResult.Failed failedAt(String firstCode) {
    BlockResult r = resultAt(firstCode);
    assertInstanceOf(BlockResult.Failed.class, r, () -> "expected a failure, got " + r);
    return (BlockResult.Failed) r;
  }

  static void passes(String firstCode) {
    BlockResult r = resultAt(firstCode);
    assertInstanceOf(
        BlockResult.Passed.class, r, () -> r instanceof BlockResult.Failed f ? f.message() : r.toString());
  }

  @Test
  void multiSnippetBlocksAreSplitAndOutputMatched() {
    passes("var list = new ArrayList");
  }

  @Test
  void outputMismatchFailsAtTheOutputFenceWithBothSides() {
    BlockResult.Failed f = failedAt("System.out.println(\"two\")");
    assertEquals(lineOf("three") - 1, f.line());
    assertTrue(f.message().startsWith("99-synthetic.md:" + f.line() + ": output differs"), f.message());
    assertTrue(f.message().contains("| three") && f.message().contains("| two"), f.message());
  }

  @Test
  void rejectedSnippetFailsAtItsLineWithTheDiagnostic() {
    BlockResult.Failed f = failedAt("int wrong = \"s\"");
    assertEquals(lineOf("int wrong = \"s\""), f.line());
    assertTrue(f.summary().contains("does not compile"), f.summary());
    assertTrue(f.details().contains("incompatible types"), f.details());
  }

  @Test
  void runawaySnippetIsStoppedAndReported() {
    BlockResult.Failed f = failedAt("while (true) { Thread.onSpinWait(); }");
    assertEquals(lineOf("while (true) { Thread.onSpinWait(); }"), f.line());
    assertTrue(f.summary().startsWith("timed out after 500 ms"), f.summary());
  }

  @Test
  void hiddenLinesRun() {
    passes("String secret");
  }

  @Test
  void systemExitIsReportedAndTheChapterGoesOnWithItsState() {
    BlockResult.Failed f = failedAt("System.exit(3)");
    assertTrue(f.summary().contains("ended the JVM"), f.summary());
    passes("after exit");
  }

  @Test
  void skippedBlocksAreReportedWithTheirReason() {
    BlockResult r = resultAt("this is not java");
    assertEquals(new BlockResult.Skipped(r.block(), "needs a network"), r);
    assertEquals(1, results.stream().filter(BlockResult.Skipped.class::isInstance).count());
  }

  @Test
  void compileOnlyCompilesWithoutRunning() {
    passes("list.add(\"compile-only\")");
    passes("took \" + System.nanoTime()"); // and list still has one element: wildcards matched
  }

  @Test
  void unresolvedReferencesFail() {
    BlockResult.Failed f = failedAt("void usesMissing()");
    assertTrue(f.summary().contains("never defined"), f.summary());
    assertTrue(f.details().contains("undefinedThing"), f.details());
  }

  @Test
  void exceptionsFailWithTheirClassAndMessage() {
    BlockResult.Failed f = failedAt("throw new IllegalStateException");
    assertTrue(f.summary().contains("java.lang.IllegalStateException: boom"), f.summary());
  }

  @Test
  void aBlockThatPrintsTheWildcardItselfFails() {
    BlockResult.Failed f = failedAt("System.out.println(\"found the lock taken");
    assertTrue(f.summary().contains("printed the wildcard [..] itself"), f.summary());
  }

  @Test
  void outputWithoutAFenceFails() {
    BlockResult.Failed f = failedAt("System.out.println(\"no fence\")");
    assertTrue(f.summary().contains("no ```output fence"), f.summary());
  }

  @Test
  void lockcheckFailBlocksAreCheckedAndTheirReportCompared() {
    passes("class Flagged");
    BlockResult.Failed f = failedAt("int notDeclaredOnly");
    assertTrue(f.details().contains("no findings"), f.details());
  }

  @Test
  void aDeadlockThatIgnoresStopKillsTheJvmAndTheChapterGoesOn() {
    BlockResult.Failed f = failedAt("Object m = new Object()");
    assertEquals(lineOf("synchronized (m) { System.out.println(\"never\")"), f.line());
    assertTrue(f.summary().contains("JVM was killed"), f.summary());
    passes("still going");
  }

  @Test
  void reportsItsOwnSpeed() {
    System.out.printf("synthetic chapter: %d blocks in %d ms%n", results.size(), elapsed.toMillis());
  }
}
