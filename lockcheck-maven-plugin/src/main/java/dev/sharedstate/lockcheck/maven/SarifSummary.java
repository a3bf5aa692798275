package dev.sharedstate.lockcheck.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the build log shows, read back from lockcheck's SARIF report: each result that counts (not
 * suppressed in source, not already in a baseline) and each input that could not be analysed, as one
 * {@code file:line:col: message} line an IDE can jump to.
 */
record SarifSummary(List<Entry> findings, List<Entry> problems) {

  /** One located message; {@code ruleId} is null for an input problem. */
  record Entry(String file, int line, int column, String message, String ruleId) {
    String text() {
      String at = line > 0 ? file + ":" + line + ":" + Math.max(1, column) : file;
      return at + ": " + message + (ruleId == null ? "" : " [" + ruleId + "]");
    }
  }

  static SarifSummary read(Path sarif) throws IOException {
    JsonNode run = new ObjectMapper().readTree(sarif.toFile()).path("runs").path(0);
    JsonNode bases = run.path("originalUriBaseIds");
    List<Entry> findings = new ArrayList<>();
    for (JsonNode r : run.path("results")) {
      boolean suppressed = r.path("suppressions").size() > 0;
      String state = r.path("baselineState").asText("");
      if (suppressed || state.equals("unchanged") || state.equals("updated") || state.equals("absent")) {
        continue;
      }
      findings.add(entry(r.path("locations").path(0), bases, r.path("message").path("text").asText(),
          r.path("ruleId").asText(null)));
    }
    List<Entry> problems = new ArrayList<>();
    for (JsonNode inv : run.path("invocations")) {
      for (JsonNode n : inv.path("toolExecutionNotifications")) {
        problems.add(entry(n.path("locations").path(0), bases, n.path("message").path("text").asText(), null));
      }
    }
    return new SarifSummary(findings, problems);
  }

  private static Entry entry(JsonNode location, JsonNode bases, String message, String ruleId) {
    JsonNode phys = location.path("physicalLocation");
    JsonNode art = phys.path("artifactLocation");
    JsonNode region = phys.path("region");
    return new Entry(file(art, bases), region.path("startLine").asInt(0), region.path("startColumn").asInt(0),
        message, ruleId);
  }

  /** The artifact's path on disk: its URI resolved against its base id, if any. */
  private static String file(JsonNode art, JsonNode bases) {
    String uri = art.path("uri").asText("?");
    try {
      URI u = new URI(uri);
      String baseId = art.path("uriBaseId").asText("");
      if (!baseId.isEmpty() && bases.path(baseId).has("uri")) {
        u = new URI(bases.path(baseId).path("uri").asText()).resolve(u);
      }
      return u.isAbsolute() && "file".equals(u.getScheme()) ? Path.of(u).toString() : uri;
    } catch (Exception e) {
      return uri;
    }
  }
}
