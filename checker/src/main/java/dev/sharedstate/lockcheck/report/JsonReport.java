package dev.sharedstate.lockcheck.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.LockEvidence;
import dev.sharedstate.lockcheck.Span;

/**
 * lockcheck's own JSON format, documented in {@code checker/docs/json-format.md} (schemaVersion 1):
 * every finding with its lock evidence, suppressed ones marked, and the inputs not analysed.
 */
public final class JsonReport {

  public static final int SCHEMA_VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /**
   * What {@code --baseline} did: the file, the findings it matched (left out of the report), and its
   * entries that matched nothing.
   */
  public record BaselineSummary(String file, int matched, int stale) {}

  public static String render(CheckResult r, String toolVersion) {
    return render(r, toolVersion, null);
  }

  /**
   * As {@link #render(CheckResult, String)}, with {@code summary.baseline} saying what a baseline
   * matched ({@code null} when none was applied: then {@code summary.baseline} is {@code null}).
   */
  public static String render(CheckResult r, String toolVersion, BaselineSummary baseline) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "lockcheck");
    tool.put("version", toolVersion);
    ObjectNode summary = root.putObject("summary");
    summary.put("filesChecked", r.filesChecked());
    summary.put("findings", r.reported().size());
    summary.put("suppressed", r.findings().size() - r.reported().size());
    summary.put("problems", r.problems().size());
    summary.put("exitCode", r.exitCode());
    if (baseline == null) {
      summary.putNull("baseline");
    } else {
      ObjectNode b = summary.putObject("baseline");
      b.put("file", baseline.file());
      b.put("matched", baseline.matched());
      b.put("stale", baseline.stale());
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : r.findings()) {
      ObjectNode o = findings.addObject();
      o.put("ruleId", f.ruleId());
      o.put("file", f.file().toString());
      o.put("line", f.line());
      o.put("column", f.column());
      o.put("endLine", f.span().endLine());
      o.put("endColumn", f.span().endColumn());
      o.put("message", f.message());
      o.put("call", f.call());
      o.put("why", f.why());
      o.put("suppressed", f.suppressed());
      ArrayNode locks = o.putArray("locks");
      for (LockEvidence l : f.locks()) {
        ObjectNode lo = locks.addObject();
        lo.put("lock", l.lock());
        lo.put("kind", l.kind());
        lo.set("acquired", span(l.acquired()));
        lo.put("acquiredLabel", l.acquiredLabel());
        if (l.released() == null) {
          lo.putNull("released");
          lo.putNull("releasedLabel");
        } else {
          lo.set("released", span(l.released()));
          lo.put("releasedLabel", l.releasedLabel());
        }
      }
      ArrayNode via = o.putArray("via");
      for (Finding.Via v : f.via()) {
        ObjectNode vo = via.addObject();
        vo.put("description", v.description());
        vo.put("file", v.fileOr(f.file()).toString());
        vo.set("span", span(v.span()));
      }
      o.put("help", Rule.byId(f.ruleId()).map(Rule::docPath).orElse(""));
    }
    ArrayNode problems = root.putArray("problems");
    for (InputProblem p : r.problems()) {
      ObjectNode o = problems.addObject();
      o.put("file", p.file().toString());
      o.put("line", p.line());
      o.put("column", p.column());
      o.put("reason", p.reason());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode span(Span s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("line", s.line());
    o.put("column", s.column());
    o.put("endLine", s.endLine());
    o.put("endColumn", s.endColumn());
    return o;
  }
}
