package dev.sharedstate.lockcheck.cli;

import dev.sharedstate.lockcheck.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  static final String SYNC = "src/test/resources/fixtures/regions/SynchronizedBlock.java";
  static final String SUPPRESSED = "src/test/resources/fixtures/suppression/Suppressions.java";

  @TempDir
  Path tmp;

  private Path write(String name, String text) throws IOException {
    return TestFiles.write(tmp, name, text);
  }

  @Test
  void noFindingsExitsZero() throws IOException {
    Path clean = write("Clean.java", "class Clean { synchronized int f() { return 1; } }\n");
    CliRun r = CliRun.of(clean.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("lockcheck: no findings; 1 file checked"), r.out());
  }

  @Test
  void onlyPathsSkipsOptionParsingWithTheSameResult() {
    // "--" sends the same PATHs through picocli
    assertEquals(CliRun.of("--", SYNC, SUPPRESSED), CliRun.of(SYNC, SUPPRESSED));
    assertEquals(CliRun.of("--", "no/such/file.java"), CliRun.of("no/such/file.java"));
    assertTrue(Cli.onlyPaths(new String[] {SYNC, "src"}, new java.util.ArrayList<>()));
    for (String notAPath : new String[] {"--release", "-o", "@args.txt", "", "--"}) {
      assertFalse(Cli.onlyPaths(new String[] {SYNC, notAPath}, new java.util.ArrayList<>()), notAPath);
    }
    assertFalse(Cli.onlyPaths(new String[0], new java.util.ArrayList<>()), "no PATH: picocli's usage error");
  }

  @Test
  void findingsExitOne() {
    CliRun r = CliRun.of("--release", "17", SYNC);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().startsWith("warning[lock-held-across-blocking-call]: `future.join()` blocks"), r.out());
    assertTrue(r.out().contains("--> " + SYNC + ":9:14"), r.out());
    assertTrue(r.out().contains("lockcheck: 4 findings in 1 file; 1 file checked"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void onlySuppressedFindingsDoNotCount() throws IOException {
    Path p = write("S.java", """
        class S {
          java.util.concurrent.CompletableFuture<String> f;
          @SuppressWarnings("lock-held-across-blocking-call")
          synchronized void m() { f.join(); }
        }
        """);
    CliRun r = CliRun.of(p.toString());
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("no findings (1 suppressed)"), r.out());
  }

  @Test
  void missingPathIsExitTwoAndTheRunGoesOn() {
    CliRun r = CliRun.of("--release", "17", "no/such/dir", SYNC);
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no/such/dir: error: no such file or directory"), r.err());
    assertTrue(r.out().contains("4 findings"), "findings are still reported: " + r.out());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, CliRun.of().code());
    CliRun bad = CliRun.of("--format", "xml", SYNC);
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--format"), bad.err());
    assertEquals(2, CliRun.of("--no-such-option").code());
    CliRun explain = CliRun.of("--explain", "nope");
    assertEquals(2, explain.code());
    assertTrue(explain.err().contains("unknown rule 'nope'"), explain.err());
  }

  @Test
  void helpDocumentsTheExitCodes() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertTrue(r.out().contains("0   no findings"), r.out());
    assertTrue(r.out().contains("1   findings"), r.out());
    assertTrue(r.out().contains("2   usage error, or some input could not be analysed"), r.out());
    for (String option : new String[] {"--format", "--output", "--explain", "--classpath", "--catalogue",
        "--immediate-caller", "--no-color", "--no-prefilter", "--threads", "--verbose"}) {
      assertTrue(r.out().contains(option), option);
    }
  }

  /** {@code --explain RULE} prints the rule's page, which has every section; returns the page. */
  private static String explained(String rule) throws IOException {
    CliRun r = CliRun.of("--explain", rule);
    assertEquals(0, r.code());
    String page = Files.readString(Path.of("docs/rules/" + rule + ".md"));
    assertEquals(page, r.out());
    for (String section : new String[] {"## What it does", "## Why is this bad", "## Known problems", "## Example",
        "## Use instead"}) {
      assertTrue(page.contains(section), section);
    }
    return page;
  }

  @Test
  void explainPrintsTheRulePageFromItsOneSource() throws IOException {
    assertTrue(explained("lock-held-across-blocking-call").contains("../../../chapters/07-lock-across-a-blocking-call.md"));
  }

  @Test
  void explainPrintsTheMapComputeRulePage() throws IOException {
    assertTrue(explained("blocking-in-map-compute").contains("should be short and simple"),
        "quotes the ConcurrentHashMap Javadoc");
  }

  @Test
  void listRules() {
    CliRun r = CliRun.of("--list-rules");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("lock-held-across-blocking-call"), r.out());
    assertTrue(r.out().contains("blocking-in-map-compute"), r.out());
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColor() {
    assertFalse(CliRun.of(SYNC).out().contains("\u001b["), "not a terminal: no colour");
    assertTrue(CliRun.of(true, SYNC).out().contains("\u001b["), "a terminal: colour");
    assertFalse(CliRun.of(true, "--no-color", SYNC).out().contains("\u001b["), "--no-color");
  }

  @Test
  void outputGoesToAFile() throws IOException {
    Path report = tmp.resolve("out/report.sarif");
    CliRun r = CliRun.of("--release", "17", "--format", "sarif", "--output", report.toString(), SYNC);
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertTrue(Files.readString(report).contains("\"version\" : \"2.1.0\""));
    assertTrue(r.err().contains("4 findings"), r.err());
  }

  @Test
  void immediateCallerOption() throws IOException {
    Path p = write("U.java", """
        class U {
          java.util.concurrent.CompletableFuture<String> f;
          void run(Runnable r) { r.run(); }
          synchronized void m() { run(() -> f.join()); }
        }
        """);
    assertEquals(0, CliRun.of(p.toString()).code());
    assertEquals(1, CliRun.of("--immediate-caller", "run", p.toString()).code());
  }

  @Test
  void userCatalogueExtendsTheBuiltInOne() throws IOException {
    Path p = write("Rpc.java", """
        package x;
        class Rpc {
          Channel channel;
          synchronized void m() { channel.call("ping"); }
          static class Channel { String call(String s) { return s; } }
        }
        """);
    assertEquals(0, CliRun.of(p.toString()).code());
    Path cat = write("cat.json", """
        { "blocking": [ {"owner": "x.Rpc.Channel", "method": "call", "arity": [1], "why": "waits for the reply"} ] }
        """);
    CliRun r = CliRun.of("--catalogue", cat.toString(), p.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("blocks (waits for the reply)"), r.out());
    Path broken = write("broken.json", "{ \"blocking\": [ {\"method\": \"call\"} ] }");
    CliRun b = CliRun.of("--catalogue", broken.toString(), p.toString());
    assertEquals(2, b.code());
    assertTrue(b.err().contains("broken.json: blocking[0]: needs a \"owner\" string"), b.err());
  }
}
