package dev.sharedstate.lockcheck.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.LockEvidence;
import dev.sharedstate.lockcheck.Span;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * SARIF 2.1.0 for code-scanning tools: {@code tool.driver} with the rules; per result, the first
 * location is the blocking call, related locations are where each lock was taken and released and
 * each step through helper methods (also given as a {@code codeFlows} thread flow);
 * suppressed results carry {@code suppressions}; inputs not analysed become tool execution
 * notifications. Paths relative to the working directory use the {@code SRCROOT} base id.
 */
public final class SarifReport {

  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifReport() {}

  public static String render(CheckResult r, String toolVersion, Path workingDirectory) {
    return render(r, toolVersion, workingDirectory, false);
  }

  /**
   * As {@link #render(CheckResult, String, Path)}; with {@code baselined}, every result carries
   * {@code "baselineState": "new"} (SARIF 2.1.0 section 3.27.24): the findings a baseline matched are
   * left out, so each one reported is new against it.
   */
  public static String render(CheckResult r, String toolVersion, Path workingDirectory, boolean baselined) {
    ObjectNode root = JsonReport.JSON.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "lockcheck");
    driver.put("version", toolVersion);
    driver.put("semanticVersion", toolVersion.replace("-SNAPSHOT", ""));
    ArrayNode rules = driver.putArray("rules");
    for (Rule rule : Rule.ALL) {
      ObjectNode ro = rules.addObject();
      ro.put("id", rule.id());
      ro.put("name", rule.name());
      ro.putObject("shortDescription").put("text", rule.shortDescription());
      ro.putObject("fullDescription").put("text", rule.fullDescription());
      ObjectNode help = ro.putObject("help");
      help.put("text", String.join("\n", rule.help()) + "\nSee " + rule.docPath());
      ro.putObject("defaultConfiguration").put("level", "warning");
      ro.putObject("properties").putArray("tags").add("concurrency").add("deadlock");
    }
    String base = workingDirectory.toAbsolutePath().normalize().toUri().toString();
    run.putObject("originalUriBaseIds").putObject("SRCROOT").put("uri", base.endsWith("/") ? base : base + "/");
    ArrayNode results = run.putArray("results");
    for (Finding f : r.findings()) {
      ObjectNode res = results.addObject();
      res.put("ruleId", f.ruleId());
      res.put("ruleIndex", indexOf(f.ruleId()));
      res.put("level", "warning");
      if (baselined) {
        res.put("baselineState", "new");
      }
      res.putObject("message").put("text", f.message());
      res.putArray("locations").add(location(f.file(), f.span(), workingDirectory, null, -1));
      ArrayNode related = res.putArray("relatedLocations");
      int id = 1;
      for (LockEvidence l : f.locks()) {
        related.add(location(f.file(), l.acquired(), workingDirectory, l.acquiredLabel(), id++));
        if (l.released() != null) {
          related.add(location(f.file(), l.released(), workingDirectory, l.releasedLabel(), id++));
        }
      }
      for (Finding.Via v : f.via()) {
        related.add(location(v.fileOr(f.file()), v.span(), workingDirectory, v.description(), id++));
      }
      if (!f.via().isEmpty()) {
        res.putArray("codeFlows").add(codeFlow(f, workingDirectory));
      }
      if (f.suppressed()) {
        ObjectNode s = res.putArray("suppressions").addObject();
        s.put("kind", "inSource");
        s.put("justification", "@SuppressWarnings(\"" + f.ruleId() + "\") or @SuppressWarnings(\"lockcheck\")");
      }
      res.putObject("partialFingerprints").put("lockcheck/v1",
          Integer.toHexString((f.ruleId() + "|" + f.file() + "|" + f.call() + "|"
              + f.locks().stream().map(LockEvidence::lock).toList()).hashCode()));
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", r.problems().isEmpty());
    invocation.put("exitCode", r.exitCode());
    ArrayNode notes = invocation.putArray("toolExecutionNotifications");
    for (InputProblem p : r.problems()) {
      ObjectNode n = notes.addObject();
      n.put("level", "error");
      n.putObject("message").put("text", p.reason());
      Span at = p.line() > 0 ? new Span(p.line(), Math.max(1, p.column()), p.line(), Math.max(1, p.column())) : null;
      n.putArray("locations").add(location(p.file(), at, workingDirectory, null, -1));
    }
    run.put("columnKind", "utf16CodeUnits");
    try {
      return JsonReport.JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The path from the lock to the blocking call, for a call that blocks inside helper methods: one
   * thread flow, the lock's acquisition and the call at nesting level 0, then one level deeper per
   * method entered, the blocking call last.
   */
  private static ObjectNode codeFlow(Finding f, Path cwd) {
    ObjectNode flow = JsonReport.JSON.createObjectNode();
    flow.putObject("message").put("text", f.message());
    ArrayNode steps = flow.putArray("threadFlows").addObject().putArray("locations");
    int order = 1;
    for (LockEvidence l : f.locks()) {
      ObjectNode s = steps.addObject();
      s.set("location", location(f.file(), l.acquired(), cwd, l.acquiredLabel(), -1));
      s.putArray("kinds").add("acquire");
      s.put("nestingLevel", 0);
      s.put("executionOrder", order++);
    }
    ObjectNode call = steps.addObject();
    call.set("location", location(f.file(), f.span(), cwd, "`" + f.call() + "` is called with the lock held", -1));
    call.putArray("kinds").add("call");
    call.put("nestingLevel", 0);
    call.put("executionOrder", order++);
    call.put("importance", "essential");
    int level = 1;
    for (int i = 0; i < f.via().size(); i++) {
      Finding.Via v = f.via().get(i);
      ObjectNode s = steps.addObject();
      s.set("location", location(v.fileOr(f.file()), v.span(), cwd, v.description(), -1));
      s.putArray("kinds").add("call");
      s.put("nestingLevel", level++);
      s.put("executionOrder", order++);
      s.put("importance", i == f.via().size() - 1 ? "essential" : "important");
    }
    return flow;
  }

  private static int indexOf(String ruleId) {
    for (int i = 0; i < Rule.ALL.size(); i++) {
      if (Rule.ALL.get(i).id().equals(ruleId)) {
        return i;
      }
    }
    return -1;
  }

  private static ObjectNode location(Path file, Span span, Path cwd, String message, int id) {
    ObjectNode loc = JsonReport.JSON.createObjectNode();
    if (id > 0) {
      loc.put("id", id);
    }
    ObjectNode phys = loc.putObject("physicalLocation");
    ObjectNode art = phys.putObject("artifactLocation");
    Path abs = file.toAbsolutePath().normalize();
    Path root = cwd.toAbsolutePath().normalize();
    if (abs.startsWith(root)) {
      art.put("uri", relativeUri(root.relativize(abs)));
      art.put("uriBaseId", "SRCROOT");
    } else {
      art.put("uri", abs.toUri().toString());
    }
    if (span != null) {
      ObjectNode region = phys.putObject("region");
      region.put("startLine", span.line());
      region.put("startColumn", span.column());
      region.put("endLine", span.endLine());
      region.put("endColumn", span.endColumn() + 1); // SARIF end columns are exclusive
    }
    if (message != null) {
      loc.putObject("message").put("text", message);
    }
    return loc;
  }

  private static String relativeUri(Path rel) {
    String p = rel.toString().replace('\\', '/');
    try {
      return new URI(null, null, p, null).getRawPath();
    } catch (URISyntaxException e) {
      return p;
    }
  }
}
