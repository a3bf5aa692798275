package dev.sharedstate.lockcheck.baseline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.LockEvidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A baseline: the findings a team has accepted for now, so that only new ones fail a build. Written by
 * {@code --write-baseline FILE}, applied by {@code --baseline FILE}; documented in
 * {@code checker/docs/baseline.md}. Findings are matched by {@link Fingerprint} (never by line number),
 * so inserting or deleting lines elsewhere in a file does not turn an accepted finding into a new one.
 */
public final class Baseline {

  /** The value of the file's {@code lockcheckBaseline} field: its format version. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final List<Fingerprint> entries;

  private Baseline(Path file, List<Fingerprint> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
  }

  public Path file() {
    return file;
  }

  public List<Fingerprint> entries() {
    return entries;
  }

  /** What applying a baseline gave: the findings left to report, how many it matched, the stale entries. */
  public record Applied(CheckResult result, int matched, List<Fingerprint> stale) {}

  /** The directory paths in {@code file} are relative to. */
  private static Path baseDir(Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    return parent == null ? file.toAbsolutePath().getRoot() : parent;
  }

  /** Fingerprints of the findings that count (suppressed ones are never baselined), in finding order. */
  static Map<Finding, Fingerprint> fingerprints(List<Finding> findings, Path baselineFile) {
    Path base = baseDir(baselineFile);
    Members members = new Members();
    Map<Fingerprint.Key, Integer> seen = new HashMap<>();
    Map<Finding, Fingerprint> out = new IdentityHashMap<>();
    List<Finding> ordered = new ArrayList<>(findings);
    ordered.sort(java.util.Comparator.comparing((Finding f) -> f.file().toString())
        .thenComparingInt(Finding::line).thenComparingInt(Finding::column));
    for (Finding f : ordered) {
      if (f.suppressed()) {
        continue;
      }
      String rel = base.relativize(f.file().toAbsolutePath().normalize()).toString().replace('\\', '/');
      List<String> locks = List.copyOf(new LinkedHashSet<>(f.locks().stream().map(LockEvidence::lock).toList()));
      String code = Fingerprint.collapse(f.call().isEmpty() ? f.message() : f.call());
      Fingerprint.Key k = new Fingerprint.Key(f.ruleId(), rel, members.at(f.file(), f.line(), f.column()), code, locks);
      int occurrence = seen.merge(k, 1, Integer::sum) - 1;
      out.put(f, new Fingerprint(k.rule(), k.file(), k.member(), k.code(), k.locks(), occurrence));
    }
    return out;
  }

  /** A baseline of every finding in {@code result} that counts, to be written to {@code file}. */
  public static Baseline of(CheckResult result, Path file) {
    List<Fingerprint> fps = new ArrayList<>(fingerprints(result.findings(), file).values());
    fps.sort(Fingerprint.ORDER);
    return new Baseline(file, fps);
  }

  /** Writes the baseline as indented JSON in a stable order (so it diffs well under version control). */
  public void write() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("lockcheckBaseline", FORMAT);
    root.put("about", "Findings accepted for now: lockcheck --baseline reports only findings not listed here. "
        + "Regenerate with lockcheck --write-baseline. See checker/docs/baseline.md");
    ArrayNode arr = root.putArray("findings");
    for (Fingerprint f : entries) {
      ObjectNode o = arr.addObject();
      o.put("rule", f.rule());
      o.put("file", f.file());
      o.put("member", f.member());
      o.put("code", f.code());
      ArrayNode locks = o.putArray("locks");
      f.locks().forEach(locks::add);
      o.put("occurrence", f.occurrence());
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, JSON.writeValueAsString(root).replace("\r\n", "\n") + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Reads a baseline file.
   *
   * @throws BaselineException naming the file, what is wrong and what to do
   */
  public static Baseline read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BaselineException(file + ": baseline file not found; create it with --write-baseline " + file);
    } catch (AccessDeniedException e) {
      throw new BaselineException(file + ": cannot read the baseline file: permission denied");
    } catch (IOException e) {
      throw new BaselineException(file + ": cannot read the baseline file: " + e.getMessage()
          + (Files.isDirectory(file) ? " (it is a directory; name the baseline's .json file)" : ""));
    }
    String redo = "; fix it, or regenerate it with --write-baseline " + file;
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
      throw new BaselineException(file + at + ": not a lockcheck baseline (invalid JSON: " + e.getOriginalMessage() + ")" + redo);
    }
    if (root == null || !root.isObject() || !root.path("lockcheckBaseline").isInt()) {
      throw new BaselineException(file + ": not a lockcheck baseline (a JSON object with \"lockcheckBaseline\": "
          + FORMAT + " and a \"findings\" array)" + redo);
    }
    if (root.get("lockcheckBaseline").asInt() != FORMAT) {
      throw new BaselineException(file + ": baseline format " + root.get("lockcheckBaseline").asInt()
          + " is not supported by this lockcheck (it reads format " + FORMAT + ")" + redo);
    }
    JsonNode findings = root.get("findings");
    if (findings == null || !findings.isArray()) {
      throw new BaselineException(file + ": \"findings\" must be an array" + redo);
    }
    List<Fingerprint> entries = new ArrayList<>();
    int i = 0;
    for (JsonNode e : findings) {
      String where = file + ": findings[" + i++ + "]";
      JsonNode locks = e.get("locks");
      if (!e.isObject() || locks == null || !locks.isArray() || !e.path("occurrence").isInt()) {
        throw new BaselineException(where + ": needs \"rule\", \"file\", \"member\", \"code\" strings, a \"locks\" "
            + "array and an \"occurrence\" number" + redo);
      }
      List<String> ls = new ArrayList<>();
      locks.forEach(x -> ls.add(x.asText()));
      entries.add(new Fingerprint(text(e, "rule", where, redo), text(e, "file", where, redo),
          text(e, "member", where, redo), text(e, "code", where, redo), ls, e.get("occurrence").asInt()));
    }
    return new Baseline(file, entries);
  }

  private static String text(JsonNode e, String field, String where, String redo) {
    JsonNode v = e.get(field);
    if (v == null || !v.isTextual()) {
      throw new BaselineException(where + ": needs a \"" + field + "\" string" + redo);
    }
    return v.asText();
  }

  /**
   * Removes the findings this baseline accepts. Findings are matched by everything but the line; when
   * several agree on that (the same call, locks and member), as many as the baseline lists are matched,
   * the first ones in source order, and the rest are new.
   */
  public Applied apply(CheckResult result) {
    Map<Fingerprint.Key, Integer> budget = new HashMap<>();
    for (Fingerprint f : entries) {
      budget.merge(f.key(), 1, Integer::sum);
    }
    Map<Finding, Fingerprint> fps = fingerprints(result.findings(), file);
    List<Finding> kept = new ArrayList<>();
    int matched = 0;
    for (Finding f : result.findings()) {
      Fingerprint fp = fps.get(f);
      if (fp != null) {
        Integer left = budget.get(fp.key());
        if (left != null && left > 0) {
          budget.put(fp.key(), left - 1);
          matched++;
          continue;
        }
      }
      kept.add(f);
    }
    // the entries not used up: for each key, its last occurrences
    Map<Fingerprint.Key, List<Fingerprint>> byKey = new java.util.LinkedHashMap<>();
    for (Fingerprint f : entries) {
      byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
    }
    List<Fingerprint> stale = new ArrayList<>();
    byKey.forEach((k, list) -> {
      list.sort(java.util.Comparator.comparingInt(Fingerprint::occurrence));
      int left = budget.getOrDefault(k, 0);
      stale.addAll(list.subList(list.size() - left, list.size()));
    });
    stale.sort(Fingerprint.ORDER);
    return new Applied(new CheckResult(kept, result.problems(), result.filesChecked()), matched, stale);
  }

  /** A baseline that cannot be used: the message names the file, what is wrong and what to do. */
  public static final class BaselineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BaselineException(String message) {
      super(message);
    }
  }
}
