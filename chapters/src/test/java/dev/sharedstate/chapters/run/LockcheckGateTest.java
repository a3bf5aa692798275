package dev.sharedstate.chapters.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.ChapterParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockcheckGateTest {

  private static Block block(String md) {
    return new ChapterParser().parse(Path.of("07-x.md"), md).blocks().getFirst();
  }

  @Test
  void typeOnlyBlocksAreUsedAsWrittenSoLinesStayTheBlocks() {
    Block b = block("text\n\n```java lockcheck-fail\nimport java.util.List;\n/* hidden */ import java.util.Map;\nclass Counter {\n}\n```\n");
    List<Piece> pieces =
        List.of(
            new Piece("import java.util.List;", 4, Piece.Kind.IMPORT),
            new Piece("import java.util.Map;", 5, Piece.Kind.IMPORT),
            new Piece("class Counter {\n}", 6, Piece.Kind.TYPE));
    LockcheckGate.Unit u = LockcheckGate.compilationUnit(b, pieces);
    assertEquals("Counter.java", u.fileName());
    assertEquals(b.fullText(), u.source());
    assertEquals(6, u.markdownLine(3));
  }

  @Test
  void statementsAreWrappedInAMethodAndMappedBack() {
    Block b = block("```java lockcheck-fail\nimport java.util.List;\nvoid m() {}\nint x = 1;\n```\n");
    List<Piece> pieces =
        List.of(
            new Piece("import java.util.List;", 2, Piece.Kind.IMPORT),
            new Piece("void m() {}", 3, Piece.Kind.METHOD),
            new Piece("int x = 1;", 4, Piece.Kind.VARIABLE));
    LockcheckGate.Unit u = LockcheckGate.compilationUnit(b, pieces);
    assertEquals("ChapterSnippet.java", u.fileName());
    assertEquals(
        "import java.util.List;\nclass ChapterSnippet {\nvoid m() {}\nvoid run() throws Exception {\nint x = 1;\n}\n}\n",
        u.source());
    assertEquals(3, u.markdownLine(3));
    assertEquals(4, u.markdownLine(5));
    assertEquals(1, u.markdownLine(2), "wrapper lines point at the fence");
  }

  @Test
  void aMissingCliIsReportedPlainly() {
    try {
      new LockcheckGate().report(new LockcheckGate.Unit("A.java", "class A {}\n", new int[] {1}));
      // Once lockcheck's CLI is on the class path this produces a report instead: also fine.
    } catch (LockcheckGate.ReportUnavailable e) {
      assertTrue(e.getMessage().contains(LockcheckGate.CLI_CLASS), e.getMessage());
    }
  }

  private static final String FLAGGED =
      "import java.util.concurrent.CompletableFuture;\n"
          + "class Counter {\n"
          + "  synchronized void f(CompletableFuture<String> c) {\n"
          + "    c.join();\n"
          + "  }\n"
          + "}\n";

  private static final String CLEAN =
      "import java.util.concurrent.CompletableFuture;\n"
          + "class Counter {\n"
          + "  void f(CompletableFuture<String> c) {\n"
          + "    synchronized (this) { }\n"
          + "    c.join();\n"
          + "  }\n"
          + "}\n";

  @Test
  void theRealEngineAcceptsAFlaggedBlockWithOrWithoutItsRule() {
    var unit = new LockcheckGate.Unit("Counter.java", FLAGGED, new int[] {10, 11, 12, 13, 14, 15});
    var gate = new LockcheckGate();
    assertTrue(gate.check(unit, java.util.Optional.empty()).isEmpty());
    assertTrue(gate.check(unit, java.util.Optional.of("lock-held-across-blocking-call")).isEmpty());
  }

  @Test
  void theRealEngineRejectsABlockItDoesNotFlag() {
    var unit = new LockcheckGate.Unit("Counter.java", CLEAN, new int[] {10, 11, 12, 13, 14, 15, 16});
    var why = new LockcheckGate().check(unit, java.util.Optional.empty());
    assertTrue(why.isPresent());
    assertTrue(why.get().contains("expected: a finding") && why.get().contains("no findings"), why.get());
  }

  @Test
  void theRealEngineRejectsAFindingOfAnotherRule() {
    var unit = new LockcheckGate.Unit("Counter.java", FLAGGED, new int[] {10, 11, 12, 13, 14, 15});
    var why = new LockcheckGate().check(unit, java.util.Optional.of("virtual-thread-pinning"));
    assertTrue(why.isPresent());
    assertTrue(why.get().contains("of rule virtual-thread-pinning"), why.get());
    assertTrue(why.get().contains("line 13 of the chapter lock-held-across-blocking-call"), why.get());
  }

  @Test
  void theRealCliReportNamesTheFileAndRule() throws Exception {
    String report = new LockcheckGate().report(new LockcheckGate.Unit("Counter.java", FLAGGED, new int[] {1, 2, 3, 4, 5, 6}));
    assertTrue(report.contains("warning[lock-held-across-blocking-call]"), report);
    assertTrue(report.contains("--> Counter.java:4:"), report);
  }
}
