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
  static final String HELPERS = "src/test/resources/fixtures/project/helpers";
  static final String MAP_COMPUTE = "src/test/resources/fixtures/implicit/MapCompute.java";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode run(String format, String... paths) throws Exception {
    // --release 17: these fixtures sit in a release-21 Maven project; this test is about the main rule
    String[] args = new String[paths.length + 4];
    args[0] = "--format";
    args[1] = format;
    args[2] = "--release";
    args[3] = "17";
    System.arraycopy(paths, 0, args, 4, paths.length);
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

  /**
   * The 2.1.0 schema declares {@code additionalProperties: false} on every object we emit; a
   * misspelt or invented property makes the log invalid. The allowed names are copied from
   * oasis-tcs/sarif-spec {@code Schemata/sarif-schema-2.1.0.json}.
   */
  @Test
  void sarifUsesOnlyPropertiesTheSchemaAllows() throws Exception {
    JsonNode root = run("sarif", LOCKS, SUPPRESSED, "missing/path");
    closed(root, "$schema version runs inlineExternalProperties properties");
    JsonNode run = root.path("runs").get(0);
    closed(run, "tool invocations conversion language versionControlProvenance originalUriBaseIds artifacts"
        + " logicalLocations graphs results automationDetails runAggregates baselineGuid redactionTokens"
        + " defaultEncoding defaultSourceLanguage newlineSequences columnKind externalPropertyFileReferences"
        + " threadFlowLocations taxonomies addresses translations policies webRequests webResponses"
        + " specialLocations properties");
    closed(run.path("tool").path("driver"), "guid name organization product productSuite shortDescription"
        + " fullDescription fullName version semanticVersion dottedQuadFileVersion releaseDateUtc downloadUri"
        + " informationUri globalMessageStrings notifications rules taxa locations language contents"
        + " isComprehensive localizedDataSemanticVersion minimumRequiredLocalizedDataSemanticVersion"
        + " associatedComponent translationMetadata supportedTaxonomies properties");
    for (JsonNode rule : run.path("tool").path("driver").path("rules")) {
      closed(rule, "id deprecatedIds guid deprecatedGuids name deprecatedNames shortDescription"
          + " fullDescription messageStrings defaultConfiguration helpUri help relationships properties");
    }
    int notifications = 0;
    for (JsonNode inv : run.path("invocations")) {
      assertTrue(inv.has("executionSuccessful"), "invocation.executionSuccessful is required");
      for (JsonNode n : inv.path("toolExecutionNotifications")) {
        notifications++;
        closed(n, "locations message level threadId timeUtc exception descriptor associatedRule properties");
        message(n.path("message"));
        for (JsonNode l : n.path("locations")) {
          location(l);
        }
      }
    }
    assertTrue(notifications >= 1, "the missing path is a tool execution notification");
    for (JsonNode res : run.path("results")) {
      closed(res, "ruleId ruleIndex rule kind level message analysisTarget locations guid correlationGuid"
          + " occurrenceCount partialFingerprints fingerprints stacks codeFlows graphs graphTraversals"
          + " relatedLocations suppressions baselineState rank attachments hostedViewerUri workItemUris"
          + " provenance fixes taxa webRequest webResponse properties");
      assertTrue(Set.of("none", "note", "warning", "error").contains(res.path("level").asText("warning")));
      message(res.path("message"));
      for (JsonNode l : res.path("locations")) {
        location(l);
      }
      for (JsonNode l : res.path("relatedLocations")) {
        location(l);
      }
      for (JsonNode sup : res.path("suppressions")) {
        closed(sup, "guid kind status justification location properties");
        assertTrue(Set.of("inSource", "external").contains(sup.path("kind").asText()));
      }
    }
  }

  private static void location(JsonNode l) {
    closed(l, "id physicalLocation logicalLocations message annotations relationships properties");
    if (l.has("message")) {
      message(l.path("message"));
    }
    JsonNode pl = l.path("physicalLocation");
    if (!pl.isMissingNode()) {
      closed(pl, "address artifactLocation region contextRegion properties");
      closed(pl.path("artifactLocation"), "uri uriBaseId index description properties");
      JsonNode r = pl.path("region");
      if (!r.isMissingNode()) {
        closed(r, "startLine startColumn endLine endColumn charOffset charLength byteOffset byteLength"
            + " snippet message sourceLanguage properties");
        assertTrue(r.path("startLine").asInt(1) >= 1 && r.path("startColumn").asInt(1) >= 1, r.toString());
      }
    }
  }

  private static void message(JsonNode m) {
    closed(m, "text markdown id arguments properties");
    assertTrue(m.has("text") || m.has("id"), "a message needs text or id: " + m);
  }

  private static void closed(JsonNode node, String allowed) {
    Set<String> names = Set.of(allowed.split(" "));
    node.fieldNames().forEachRemaining(
        f -> assertTrue(names.contains(f), "SARIF 2.1.0 does not allow `" + f + "` in " + node));
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

  /** A chain through helper methods in another file: SARIF codeFlows and related locations, JSON via. */
  @Test
  void chainsThroughHelperMethodsInEveryFormat() throws Exception {
    JsonNode sarif = run("sarif", HELPERS);
    JsonNode res = sarif.path("runs").get(0).path("results").get(0);
    assertEquals("lock-held-across-blocking-call", res.path("ruleId").asText());
    assertTrue(res.path("message").path("text").asText()
        .endsWith("via close() → awaitStop() → Thread.join at Worker.java:12"), res.toString());
    assertTrue(res.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri").asText()
        .endsWith("app/Service.java"));
    boolean relatedInWorker = false;
    for (JsonNode rel : res.path("relatedLocations")) {
      relatedInWorker |= rel.path("physicalLocation").path("artifactLocation").path("uri").asText()
          .endsWith("work/Worker.java");
    }
    assertTrue(relatedInWorker, "the helper's call sites are related locations in their own file");
    JsonNode flow = res.path("codeFlows").get(0);
    closed(flow, "message threadFlows properties");
    JsonNode thread = flow.path("threadFlows").get(0);
    closed(thread, "id message initialState immutableState locations properties");
    JsonNode steps = thread.path("locations");
    // the monitor taken, the call under it, `close` calling `awaitStop`, `awaitStop` joining
    assertEquals(4, steps.size(), steps.toString());
    int order = 0;
    for (JsonNode step : steps) {
      closed(step, "index location stack kinds taxa module state nestingLevel executionOrder executionTimeUtc"
          + " importance webRequest webResponse properties");
      location(step.path("location"));
      assertTrue(step.path("executionOrder").asInt() > order);
      order = step.path("executionOrder").asInt();
    }
    assertEquals("acquire", steps.get(0).path("kinds").get(0).asText());
    assertEquals(0, steps.get(1).path("nestingLevel").asInt());
    assertEquals(1, steps.get(2).path("nestingLevel").asInt());
    assertEquals(2, steps.get(3).path("nestingLevel").asInt());
    JsonNode last = steps.get(3).path("location").path("physicalLocation");
    assertTrue(last.path("artifactLocation").path("uri").asText().endsWith("work/Worker.java"));
    assertEquals(12, last.path("region").path("startLine").asInt(), "thread.join() in awaitStop");

    JsonNode json = run("json", HELPERS);
    JsonNode f = json.path("findings").get(0);
    assertEquals("waits until the thread terminates", f.path("why").asText());
    JsonNode via = f.path("via");
    assertEquals(2, via.size(), via.toString());
    assertTrue(via.get(0).path("file").asText().endsWith("Worker.java"));
    assertEquals(8, via.get(0).path("span").path("line").asInt(), "awaitStop() in close");
    assertTrue(via.get(0).path("description").asText().contains("`close()` calls `awaitStop()`"));
    assertTrue(via.get(1).path("description").asText().contains("`awaitStop()` blocks here: `thread.join()`"));
  }

  @Test
  void theMapComputeRuleIsListedAndIndexed() throws Exception {
    JsonNode run = run("sarif", MAP_COMPUTE).path("runs").get(0);
    JsonNode rules = run.path("tool").path("driver").path("rules");
    assertEquals("blocking-in-map-compute", rules.get(1).path("id").asText());
    assertTrue(rules.get(1).path("help").path("text").asText().contains("CompletableFuture"));
    JsonNode res = run.path("results").get(0);
    assertEquals("blocking-in-map-compute", res.path("ruleId").asText());
    assertEquals(1, res.path("ruleIndex").asInt());
    boolean binLock = false;
    for (JsonNode rel : res.path("relatedLocations")) {
      binLock |= rel.path("message").path("text").asText().contains("holds a bin lock of `cache`");
    }
    assertTrue(binLock, res.toString());
    JsonNode json = run("json", MAP_COMPUTE);
    assertEquals("map-bin-lock", json.path("findings").get(0).path("locks").get(0).path("kind").asText());
    assertEquals("checker/docs/rules/blocking-in-map-compute.md", json.path("findings").get(0).path("help").asText());
  }
}
