package dev.sharedstate.lockcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --write-baseline} and {@code --baseline}: only new findings fail, across line shifts. */
class BaselineTest {

  private static final String SERVICE = """
      package com.example;

      import java.util.concurrent.CompletableFuture;

      class Service {
        private CompletableFuture<String> future;

        synchronized String refresh() {
          return future.join();
        }

        void twice() {
          synchronized (this) {
            future.join();
            future.join();
          }
        }
      }
      """;

  @TempDir
  Path tmp;

  private Path src;
  private Path baseline;

  private Path write(String text) throws IOException {
    src = tmp.resolve("src/com/example/Service.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, text, StandardCharsets.UTF_8);
    baseline = tmp.resolve("lockcheck-baseline.json");
    return src;
  }

  private CliRun writeBaseline() {
    return CliRun.of("--release", "17", "--no-config", "--write-baseline", baseline.toString(), tmp.resolve("src").toString());
  }

  private CliRun check() {
    return CliRun.of("--release", "17", "--no-config", "--no-color", "--baseline", baseline.toString(),
        tmp.resolve("src").toString());
  }

  @Test
  void machineFormatsSayWhatTheBaselineDid() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    // a new finding and a fixed one: one new result, two matched, one stale entry
    String changed = SERVICE.replace("future.join();\n      future.join();", "future.join();\n      future.get();")
        .replace("return future.join();", "return future.getNow(null);");
    assertTrue(changed.contains("future.get();") && changed.contains("getNow"), changed);
    write(changed);
    String src = tmp.resolve("src").toString();
    CliRun json = CliRun.of("--release", "17", "--no-config", "--format", "json", "--baseline", baseline.toString(), src);
    JsonNode summary = new ObjectMapper().readTree(json.out()).get("summary");
    assertEquals(1, summary.get("findings").asInt(), json.out());
    assertEquals(baseline.toString(), summary.get("baseline").get("file").asText());
    assertEquals(1, summary.get("baseline").get("matched").asInt(), json.out());
    assertEquals(2, summary.get("baseline").get("stale").asInt(), json.out());

    CliRun sarif = CliRun.of("--release", "17", "--no-config", "--format", "sarif", "--baseline", baseline.toString(), src);
    JsonNode results = new ObjectMapper().readTree(sarif.out()).get("runs").get(0).get("results");
    assertEquals(1, results.size(), sarif.out());
    assertEquals("new", results.get(0).get("baselineState").asText());

    CliRun plain = CliRun.of("--release", "17", "--no-config", "--format", "json", src);
    assertTrue(new ObjectMapper().readTree(plain.out()).get("summary").get("baseline").isNull(), plain.out());
    CliRun plainSarif = CliRun.of("--release", "17", "--no-config", "--format", "sarif", src);
    assertFalse(plainSarif.out().contains("baselineState"), "no baseline, no baselineState");
  }

  @Test
  void writesAStableReadableFileWithoutLineNumbers() throws IOException {
    write(SERVICE);
    CliRun w = writeBaseline();
    assertEquals(0, w.code(), w.out() + w.err());
    assertTrue(w.out().contains("wrote 3 findings to the baseline"), w.out());
    String first = Files.readString(baseline);
    JsonNode root = new ObjectMapper().readTree(first);
    assertEquals(1, root.get("lockcheckBaseline").asInt());
    JsonNode f = root.get("findings");
    assertEquals(3, f.size());
    assertEquals("src/com/example/Service.java", f.get(0).get("file").asText());
    assertEquals("com.example.Service#refresh()", f.get(0).get("member").asText());
    assertEquals("future.join()", f.get(0).get("code").asText());
    assertEquals("this", f.get(0).get("locks").get(0).asText());
    assertEquals("com.example.Service#twice()", f.get(1).get("member").asText());
    assertEquals(0, f.get(1).get("occurrence").asInt());
    assertEquals(1, f.get(2).get("occurrence").asInt());
    assertFalse(first.contains("\"line\""), first);
    assertTrue(first.contains("\n  \"findings\" : [ {"), "indented: " + first);
    // writing again gives the same bytes
    writeBaseline();
    assertEquals(first, Files.readString(baseline));
  }

  @Test
  void survivesInsertedLinesAnEditInTheMethodAndAReformattedCall() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    write(SERVICE.replace("class Service {", "class Service {\n  // a comment\n  private int added;\n\n  void more() {}\n")
        .replace("return future.join();", "String before = \"an edit that renames nothing\";\n    return future\n        .join();"));
    CliRun r = check();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("lockcheck: no findings"), r.out());
    assertTrue(r.out().contains("baseline " + baseline + ": 3 findings matched (not reported)"), r.out());
    assertFalse(r.out().contains("no longer match"), r.out());
  }

  @Test
  void aNewFindingStillFails() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    write(SERVICE.replace("future.join();\n      future.join();", "future.join();\n      future.join();\n      future.join();"));
    CliRun r = check();
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("lockcheck: 1 finding in 1 file"), r.out());
    assertTrue(r.out().contains("Service.java:16:"), "the third join is the new one: " + r.out());
    assertTrue(r.out().contains("3 findings matched"), r.out());
  }

  @Test
  void aFindingInAnotherMethodIsNewEvenWithTheSameCall() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    write(SERVICE.replace("  void twice() {", "  synchronized String other() {\n    return future.join();\n  }\n\n  void twice() {"));
    CliRun r = check();
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("lockcheck: 1 finding in 1 file"), r.out());
    assertTrue(r.out().contains("Service.java:13:"), r.out());
  }

  @Test
  void removedFindingsAreReportedAsStaleWithoutFailing() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    write(SERVICE.replace("    return future.join();", "    return \"fixed\";")
        .replace("      future.join();\n      future.join();", "      future.join();"));
    CliRun r = check();
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("1 finding matched"), r.out());
    assertTrue(r.out().contains("2 entries no longer match any finding"), r.out());
    assertTrue(r.out().contains("src/com/example/Service.java: com.example.Service#refresh(): `future.join()`"), r.out());
    assertTrue(r.out().contains("--write-baseline " + baseline), r.out());
  }

  @Test
  void machineFormatsKeepTheBaselineNoteOnStderr() throws IOException {
    write(SERVICE);
    assertEquals(0, writeBaseline().code());
    CliRun r = CliRun.of("--release", "17", "--no-config", "--format", "json", "--baseline", baseline.toString(),
        tmp.resolve("src").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(0, new ObjectMapper().readTree(r.out()).get("findings").size());
    assertTrue(r.err().contains("3 findings matched"), r.err());
  }

  @Test
  void badBaselinesExitTwoWithThePathAndWhatToDo() throws IOException {
    write(SERVICE);
    CliRun missing = check();
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains(baseline + ": baseline file not found; create it with --write-baseline"), missing.err());
    assertEquals("", missing.out());

    Files.writeString(baseline, "{\n  \"lockcheckBaseline\": 1,\n  \"findings\": [ {\"rule\": \n");
    CliRun corrupt = check();
    assertEquals(2, corrupt.code());
    assertTrue(corrupt.err().contains(baseline + ":4:"), corrupt.err());
    assertTrue(corrupt.err().contains("invalid JSON") && corrupt.err().contains("regenerate it with --write-baseline"),
        corrupt.err());

    Files.writeString(baseline, "{\"findings\": []}");
    CliRun notOurs = check();
    assertEquals(2, notOurs.code());
    assertTrue(notOurs.err().contains("not a lockcheck baseline"), notOurs.err());

    Files.writeString(baseline, "{\"lockcheckBaseline\": 1, \"findings\": [{\"rule\": \"x\"}]}");
    CliRun entry = check();
    assertEquals(2, entry.code());
    assertTrue(entry.err().contains("findings[0]"), entry.err());

    Files.delete(baseline);
    Files.createDirectories(baseline);
    CliRun dir = check();
    assertEquals(2, dir.code());
    assertTrue(dir.err().contains("directory"), dir.err());
  }
}
