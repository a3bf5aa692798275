package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sharedstate.lockcheck.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one clear line (file, position, reason), the run goes on to the next file, no stack
 * trace, exit 2. Each test puts a good file with one finding beside the bad one to prove the run went on.
 */
class BadInputTest {

  @TempDir
  Path dir;

  private static final String GOOD = """
      class Good {
        synchronized void m() throws InterruptedException {
          Thread.sleep(10);
        }
      }
      """;

  private Path write(String name, byte[] bytes) throws IOException {
    return TestFiles.write(dir, name, bytes);
  }

  private Path write(String name, String text) throws IOException {
    return TestFiles.write(dir, name, text);
  }

  private record Run(int code, String out, String err, CheckResult result) {}

  private Run run(Path... extra) throws IOException {
    write("Good.java", GOOD);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new String[] {dir.toString()}, new PrintWriter(out), new PrintWriter(err));
    CheckResult r = Lockcheck.withDefaults().check(List.of(dir));
    assertTrue(r.findings().stream().anyMatch(f -> f.file().endsWith("Good.java")), "the run went on: " + r);
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    assertFalse(err.toString().contains("Exception"), "no exception names: " + err);
    return new Run(code, out.toString(), err.toString(), r);
  }

  private static void oneLine(Run r, String file, String reason) {
    assertEquals(2, r.code(), r.err());
    List<String> lines = r.err().lines().filter(l -> l.contains(file)).toList();
    assertEquals(1, lines.size(), "one line for " + file + ": " + r.err());
    assertTrue(lines.get(0).contains(reason), lines.get(0));
  }

  @Test
  void templateFile() throws IOException {
    write("Template.java", "package ${package};\n\npublic class ${name} {\n}\n");
    Run r = run();
    oneLine(r, "Template.java:1:9: error: cannot parse as Java: looks like a template", "`${` here");
  }

  @Test
  void syntaxErrorInAFileWithALock() throws IOException {
    write("Broken.java", "class Broken {\n  synchronized void m() {\n    int x = ;\n  }\n}\n");
    Run r = run();
    oneLine(r, "Broken.java:3:", "cannot parse as Java: Parse error. Found \";\"");
  }

  @Test
  void nonUtf8() throws IOException {
    byte[] latin1 = "class Latin { // caf\u00e9\n synchronized void m() throws Exception { Thread.sleep(1); } }\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    write("Latin.java", latin1);
    Run r = run();
    oneLine(r, "Latin.java:1:21", "not valid UTF-8 (byte 0xE9)");
    assertTrue(r.result().findings().stream().anyMatch(f -> f.file().endsWith("Latin.java")),
        "analysed with the bad bytes replaced");
  }

  @Test
  void emptyFile() throws IOException {
    write("Empty.java", new byte[0]);
    oneLine(run(), "Empty.java", "empty file");
  }

  @Test
  void byteOrderMarkIsNotAProblem() throws IOException {
    write("Bom.java", ("\uFEFF" + GOOD.replace("Good", "Bom")).getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new String[] {dir.resolve("Bom.java").toString()}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(1, code, err.toString());
    assertTrue(out.toString().contains("Bom.java:3:5"), "columns are not shifted by the BOM: " + out);
  }

  @Test
  void fiftyThousandLines() throws IOException {
    StringBuilder sb = new StringBuilder("class Huge {\n  synchronized void m() throws Exception {\n");
    for (int i = 0; i < 50_000; i++) {
      sb.append("    int v").append(i).append(" = ").append(i).append(";\n");
    }
    sb.append("    Thread.sleep(1);\n  }\n}\n");
    write("Huge.java", sb.toString());
    Run r = run();
    assertEquals(1, r.code(), r.err());
    assertTrue(r.result().findings().stream().anyMatch(f -> f.file().endsWith("Huge.java") && f.line() == 50_003));
  }

  @Test
  void deeplyNestedExpression() throws IOException {
    int depth = 20_000;
    write("Deep.java", "class Deep { synchronized void m() { int x = " + "(".repeat(depth) + "1" + ")".repeat(depth)
        + "; } }\n");
    write("Good.java", GOOD);
    // a small stack makes the parser overflow, as a deeper expression would with the default one
    CheckResult r = Lockcheck.withDefaults().withStackBytes(1024 * 1024).check(List.of(dir));
    assertEquals(1, r.problems().size(), r.problems().toString());
    InputProblem p = r.problems().get(0);
    assertTrue(p.file().endsWith("Deep.java"));
    assertTrue(p.reason().contains("too deeply nested"), p.reason());
    assertTrue(r.findings().stream().anyMatch(f -> f.file().endsWith("Good.java")));
    assertEquals(2, r.exitCode());
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void thousandsOfNestedLockRegionsAreGivenUpOnNotAnalysedForMinutes() throws IOException {
    // a mutated file from the fuzzer: 4,970 nested lock()/try took 8 minutes before the cap
    int depth = 3_000;
    write("Nested.java", "import java.util.concurrent.locks.*;\nclass Nested { final Lock lock = new ReentrantLock();\n"
        + "  void m(Thread t) throws Exception {\n" + "lock.lock(); try {\n".repeat(depth) + "t.join();\n"
        + "} finally { lock.unlock(); }\n".repeat(depth) + "  }\n}\n");
    write("Good.java", GOOD);
    CheckResult r = Lockcheck.withDefaults().check(List.of(dir));
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).file().endsWith("Nested.java"));
    assertTrue(r.problems().get(0).reason().contains("too deeply nested to analyse (more than 256 lock acquisitions"),
        r.problems().get(0).reason());
    assertTrue(r.findings().stream().anyMatch(f -> f.file().endsWith("Good.java")));
  }

  @Test
  void nestedLockRegionsBelowTheCapAreAnalysed() throws IOException {
    int depth = 40;
    write("Nested.java", "import java.util.concurrent.locks.*;\nclass Nested { final Lock lock = new ReentrantLock();\n"
        + "  void m(Thread t) throws Exception {\n" + "lock.lock(); try {\n".repeat(depth) + "t.join();\n"
        + "} finally { lock.unlock(); }\n".repeat(depth) + "  }\n}\n");
    CheckResult r = Lockcheck.withDefaults().check(List.of(dir));
    assertEquals(List.of(), r.problems());
    assertEquals(1, r.findings().size(), r.findings().toString());
  }

  @Test
  void missingPath() throws IOException {
    StringWriter err = new StringWriter();
    int code = Cli.run(new String[] {dir.resolve("nope").toString(), dir.toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertEquals(2, code);
    assertTrue(err.toString().contains("nope: error: no such file or directory"), err.toString());
  }

  @Test
  void symlinkLoop() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Files.createSymbolicLink(sub.resolve("loop"), dir);
    oneLine(run(), "loop", "symbolic link loop");
  }

  @Test
  void unreadableFile() throws IOException {
    Path p = write("Secret.java", GOOD.replace("Good", "Secret"));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    assumeTrue(!Files.isReadable(p), "running as root: every file is readable");
    oneLine(run(), "Secret.java", "permission denied");
  }
}
