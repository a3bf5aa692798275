package dev.sharedstate.lockcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SARIF 2.1.0 and JSON structure. No SARIF schema jar is on Maven Central for us to validate
 * against offline, so the properties the 2.1.0 schema requires, and the ones code-scanning tools
 * read, are asserted one by one.
 */
class MachineFormatsTest {

  static final String LOCKS = "src/test/resources/fixtures/regions/LockUnlock.java";
  static final String SUPPRESSED = "src/test/resources/fixtures/suppression/Suppressions.java";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode run(String format, String... paths) throws Exception {
    String[] args = new String[paths.length + 2];
    args[0] = "--format";
    args[1] = format;
    System.arraycopy(paths, 0, args, 2, paths.length);
    CliRun r = CliRun.of(args);
    assertTrue(r.code() == 1 || r.code() == 2, r.err());
    return JSON.readTree(r.out());
  }

  @Test
  void sarifHasTheRequiredStructure() throws Exception {
    JsonNode root = run("sarif", LOCKS, SUPPRESSED, "missing/path");
    assertEquals("2.1.0", root.path("version").asText());
    assertTrue(root.path("$schema").asText().contains("sarif-2.1.0"));
    assertEquals(1, root.path("runs").size());
    JsonNode run = root.path("runs").get(0);
    JsonNode driver = run.path("tool").path("driver");
    assertEquals("lockcheck", driver.path("name").asText());
    assertFalse(driver.path("version").asText().isEmpty());
    JsonNode rule = driver.path("rules").get(0);
    assertEquals("lock-held-across-blocking-call", rule.path("id").asText());
    assertFalse(rule.path("shortDescription").path("text").asText().isEmpty());
    assertFalse(rule.path("fullDescription").path("text").asText().isEmpty());
    assertEquals("warning", rule.path("defaultConfiguration").path("level").asText());
    assertTrue(run.path("originalUriBaseIds").path("SRCROOT").path("uri").asText().startsWith("file:"));

    JsonNode results = run.path("results");
    assertTrue(results.size() >= 4, results.toString());
    boolean sawSuppressed = false;
    boolean sawRelease = false;
    for (JsonNode res : results) {
      assertEquals("lock-held-across-blocking-call", res.path("ruleId").asText());
      assertEquals(0, res.path("ruleIndex").asInt());
      assertFalse(res.path("message").path("text").asText().isEmpty());
      JsonNode loc = res.path("locations").get(0).path("physicalLocation");
      assertEquals("SRCROOT", loc.path("artifactLocation").path("uriBaseId").asText());
      assertTrue(loc.path("artifactLocation").path("uri").asText().startsWith("src/test/resources/fixtures/"));
      JsonNode region = loc.path("region");
      assertTrue(region.path("startLine").asInt() >= 1);
      assertTrue(region.path("startColumn").asInt() >= 1);
      assertTrue(region.path("endColumn").asInt() > region.path("startColumn").asInt()
          || region.path("endLine").asInt() > region.path("startLine").asInt());
      JsonNode related = res.path("relatedLocations");
      assertTrue(related.size() >= 1, "acquisition is a related location");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode rel : related) {
        assertTrue(ids.add(rel.path("id").asInt()), "related ids are unique");
        assertFalse(rel.path("message").path("text").asText().isEmpty());
        assertTrue(rel.path("physicalLocation").path("region").path("startLine").asInt() >= 1);
        sawRelease |= rel.path("message").path("text").asText().contains("released");
      }
      if (res.has("suppressions")) {
        sawSuppressed = true;
        assertEquals("inSource", res.path("suppressions").get(0).path("kind").asText());
      }
    }
    assertTrue(sawSuppressed, "suppressed results carry suppressions");
    assertTrue(sawRelease, "release locations are related locations");

    // the blocking call of LockUnlock.tryFinally: line 13, `future.join()` at column 14
    JsonNode first = results.get(0).path("locations").get(0).path("physicalLocation");
    assertTrue(first.path("artifactLocation").path("uri").asText().endsWith("LockUnlock.java"));
    assertEquals(13, first.path("region").path("startLine").asInt());
    assertEquals(14, first.path("region").path("startColumn").asInt());
    assertEquals(27, first.path("region").path("endColumn").asInt(), "end column is exclusive");

    JsonNode invocation = run.path("invocations").get(0);
    assertFalse(invocation.path("executionSuccessful").asBoolean());
    JsonNode note = invocation.path("toolExecutionNotifications").get(0);
    assertEquals("error", note.path("level").asText());
    assertTrue(note.path("message").path("text").asText().contains("no such file"));
  }

  @Test
  void jsonFollowsTheDocumentedSchema() throws Exception {
    JsonNode root = run("json", LOCKS, SUPPRESSED);
    assertEquals(1, root.path("schemaVersion").asInt());
    assertEquals("lockcheck", root.path("tool").path("name").asText());
    JsonNode summary = root.path("summary");
    assertEquals(2, summary.path("filesChecked").asInt());
    assertEquals(1, summary.path("exitCode").asInt());
    int suppressed = 0;
    for (JsonNode f : root.path("findings")) {
      for (String field : new String[] {"ruleId", "file", "line", "column", "endLine", "endColumn", "message", "call",
          "why", "suppressed", "locks", "via", "help"}) {
        assertTrue(f.has(field), field + " in " + f);
      }
      JsonNode lock = f.path("locks").get(0);
      for (String field : new String[] {"lock", "kind", "acquired", "acquiredLabel", "released", "releasedLabel"}) {
        assertTrue(lock.has(field), field);
      }
      assertTrue(lock.path("acquired").path("line").asInt() >= 1);
      if (f.path("suppressed").asBoolean()) {
        suppressed++;
      }
    }
    assertEquals(summary.path("suppressed").asInt(), suppressed);
    assertEquals(root.path("findings").size() - suppressed, summary.path("findings").asInt());
    assertEquals(0, root.path("problems").size());
  }
}
