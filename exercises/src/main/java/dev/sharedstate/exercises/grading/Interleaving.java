package dev.sharedstate.exercises.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Lincheck's report (20 to 100 KB of tables, most of it the JDK's own code) into the few lines a
 * learner can act on: the scenario, what each thread's operations returned, and the interleaving as
 * seen in the learner's own source files, one step a line with its file and line number.
 */
final class Interleaving {
  /** Longest interleaving shown; longer ones keep their start and their end. */
  static final int MAX_STEPS = 28;

  private static final Pattern ACTOR = Pattern.compile("^(get|set|incr|del|mset|mget)\\((\\d+)((?:, \\d+)*)\\)(?::\\s*(.*?))?(\\s*\\[[\\d,]+\\])?\\s*$");
  private static final Pattern AT = Pattern.compile("^(.*) at ([\\w$.<>]+)\\(([\\w$]+\\.java):(\\d+)\\)(?: \\[.*\\])?\\s*$");

  private Interleaving() {}

  /** The first table of the report (the operations and their results). */
  static String resultsTable(String message) {
    if (message == null) return "";
    int end = message.indexOf("The following interleaving");
    return end < 0 ? message : message.substring(0, end);
  }

  /**
   * @param what what was checked ("your store")
   * @param report Lincheck's message
   * @param scenario the scenario's name, or null for a generated one
   * @param keys the key names, by slot
   * @param learnerFiles the learner's source file names ({@code ShardedStore.java}): the steps shown
   * @param learnerPackage the learner's package: the stack frames shown for an exception
   */
  static String explain(String what, String report, String scenario, List<String> keys, Set<String> learnerFiles,
      String learnerPackage) {
    try {
      return render(what, report, scenario, keys, learnerFiles, learnerPackage);
    } catch (RuntimeException e) {
      // Never lose the verdict to a report we failed to read: show its start instead.
      return what + ": Lincheck found a problem (" + e + " while shortening its report):\n"
          + Failures.clip(report, 40, 4_000);
    }
  }

  private static String render(String what, String report, String scenario, List<String> keys,
      Set<String> learnerFiles, String learnerPackage) {
    var out = new StringBuilder();
    String kind = headline(report);
    out.append(what).append(' ').append(switch (kind) {
      case "Invalid execution results" -> "gave results that no one-at-a-time order of the same operations gives:"
          + " a step of one thread ran in the middle of another's.";
      case "The execution has hung" -> "got stuck: a thread waited for something that never happened"
          + " (a lock never released, or a deadlock).";
      default -> kind.startsWith("Validation function")
          ? "did something wrong (found after the operations returned): " + validationMessage(report)
          : "failed: " + kind + ".";
    }).append('\n');
    out.append("Found by Lincheck's model checker, which tries the threads' interleavings one by one")
        .append(scenario == null ? " (a generated scenario):\n" : " (scenario: " + scenario + "):\n");

    List<List<List<String>>> results = table(report, report.indexOf("= " + kind));
    for (int section = 0; section < results.size(); section++) {
      List<List<String>> rows = results.get(section);
      boolean parallel = rows.stream().anyMatch(r -> r.stream().skip(1).anyMatch(c -> !c.isBlank()));
      if (parallel) {
        int threads = rows.isEmpty() ? 0 : rows.get(0).size();
        for (int t = 0; t < threads; t++) {
          var ops = new ArrayList<String>();
          for (List<String> row : rows) {
            if (t < row.size() && !row.get(t).isBlank()) ops.add(op(row.get(t).strip(), keys));
          }
          out.append("  thread ").append(t + 1).append(": ").append(String.join(", ", ops)).append('\n');
        }
      } else {
        var ops = new ArrayList<String>();
        for (List<String> row : rows) {
          for (String cell : row) if (!cell.isBlank()) ops.add(op(cell.strip(), keys));
        }
        String label = section == 0 ? "before" : "after";
        out.append("  ").append(label).append(": ").append(String.join(", ", ops)).append('\n');
      }
    }
    String unfinished = line(report, "All unfinished threads");
    if (unfinished != null) out.append("  (").append(unfinished.strip()).append(")\n");

    List<String> steps = steps(report, keys, learnerFiles);
    if (!steps.isEmpty()) {
      out.append("The interleaving, step by step in your code (thread: step, where):\n");
      if (steps.size() > MAX_STEPS) {
        int head = MAX_STEPS / 3, tail = MAX_STEPS - head;
        var kept = new ArrayList<>(steps.subList(0, head));
        kept.add("  ... " + (steps.size() - head - tail) + " more steps ...");
        kept.addAll(steps.subList(steps.size() - tail, steps.size()));
        steps = kept;
      }
      steps.forEach(s -> out.append(s).append('\n'));
    }
    String exceptions = exceptions(report, learnerPackage);
    if (!exceptions.isEmpty()) out.append(exceptions);
    return out.toString().stripTrailing();
  }

  private static String headline(String report) {
    Matcher m = Pattern.compile("(?m)^= (.+?) =\\s*$").matcher(report);
    return m.find() ? m.group(1).strip() : "a check failed";
  }

  private static String line(String report, String prefix) {
    for (String l : report.split("\\R")) if (l.strip().startsWith(prefix)) return l;
    return null;
  }

  private static String validationMessage(String report) {
    for (String l : report.split("\\R")) {
      int i = l.indexOf("AssertionError: ");
      if (i >= 0) return l.substring(i + "AssertionError: ".length()).strip();
    }
    return "(see the report)";
  }

  /** {@code incr(0): 1} as {@code INCR a → 1}. */
  static String op(String cell, List<String> keys) {
    Matcher m = ACTOR.matcher(cell.strip());
    if (!m.matches()) return cell.strip();
    String key = keyName(m.group(2), keys);
    String[] rest = m.group(3).isEmpty() ? new String[0] : m.group(3).substring(2).split(", ");
    String cmd = switch (m.group(1)) {
      case "mset" -> "MSET " + key + " " + rest[1] + " " + keyName(rest[0], keys) + " " + rest[1];
      case "mget" -> "MGET " + key + " " + keyName(rest[0], keys);
      default -> m.group(1).toUpperCase() + " " + key + (rest.length > 0 ? " " + rest[0] : "");
    };
    String result = m.group(4);
    if (result == null) return cmd;
    result = result.strip();
    if (result.equals("<hung>")) return cmd + " (stuck)";
    if (result.equals("null")) return cmd + " → nil";
    if (result.matches("[A-Za-z_$.]*(Exception|Error)( #\\d+)?")) return cmd + " threw " + result;
    return cmd + " → " + result;
  }

  private static String keyName(String slot, List<String> keys) {
    int i = Integer.parseInt(slot);
    return keys.isEmpty() ? slot : keys.get(i % keys.size());
  }

  /**
   * The sections of the first table after {@code from}: each a list of rows, each row a list of cells
   * (one per thread), split on the table's {@code |} separators.
   */
  static List<List<List<String>>> table(String report, int from) {
    var sections = new ArrayList<List<List<String>>>();
    if (from < 0) return sections;
    String[] lines = report.substring(from).split("\\R");
    int i = 0;
    while (i < lines.length && !lines[i].startsWith("| -")) i++;
    if (i >= lines.length) return sections;
    i += 2; // the header row ("Thread 1 | Thread 2") and the line under it
    if (i < lines.length && lines[i].startsWith("| -")) i++;
    List<List<String>> current = new ArrayList<>();
    for (; i < lines.length && lines[i].startsWith("|"); i++) {
      if (lines[i].startsWith("| -")) {
        sections.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(cells(lines[i]));
    }
    if (!current.isEmpty()) sections.add(current);
    return sections;
  }

  private static List<String> cells(String row) {
    String inner = row.length() >= 2 ? row.substring(2) : "";
    if (inner.endsWith("|")) inner = inner.substring(0, inner.length() - 1);
    var out = new ArrayList<String>();
    for (String c : inner.split(" \\| ", -1)) out.add(c.stripTrailing());
    return out;
  }

  /** The detailed trace's steps that are in the learner's files, with each thread's operations. */
  static List<String> steps(String report, List<String> keys, Set<String> learnerFiles) {
    int at = report.indexOf("Detailed trace:");
    var out = new ArrayList<String>();
    if (at < 0) return out;
    List<List<List<String>>> sections = table(report, at);
    int lastThread = -1;
    int lastDepth = 0;
    String pendingActor = null;
    int pendingThread = -1;
    for (List<List<String>> section : sections) {
      for (List<String> row : section) {
        for (int t = 0; t < row.size(); t++) {
          String cell = row.get(t);
          if (cell.isBlank()) continue;
          String text = cell.strip();
          int depth = (cell.length() - cell.stripLeading().length()) / 2;
          if (depth == 0 && ACTOR.matcher(text).matches()) {
            pendingActor = op(text, keys);
            pendingThread = t;
            continue;
          }
          if (text.equals("switch") || text.startsWith("switch (")) {
            if (t == lastThread) {
              // A switch nested deeper than the last step shown is inside that call (inside map.put,
              // say): the call has begun but not taken effect, and the result shown is what it
              // returned once the thread ran again.
              out.add("  thread " + (t + 1) + (depth > lastDepth
                  ? "    (paused inside the call above, before it took effect: another thread runs; the call finishes later, with the result shown)"
                  : "    (paused here: another thread runs)"));
            }
            continue;
          }
          Matcher m = AT.matcher(text);
          if (!m.matches() || !learnerFiles.contains(m.group(3))) continue;
          if (pendingActor != null && pendingThread == t) {
            out.add("  thread " + (t + 1) + "  " + pendingActor);
            pendingActor = null;
          }
          String step = m.group(1).strip();
          if (step.length() > 70) step = step.substring(0, 67) + "...";
          out.add(String.format("  thread %d    %-70s %s:%s", t + 1, step, m.group(3), m.group(4)).stripTrailing());
          lastThread = t;
          lastDepth = depth;
        }
      }
    }
    return out;
  }

  /** Each exception the operations threw, with its stack frames in the learner's package. */
  private static String exceptions(String report, String learnerPackage) {
    int at = report.indexOf("Exception stack traces:");
    if (at < 0) return "";
    var out = new StringBuilder();
    int shown = 0;
    for (String l : report.substring(at).split("\\R")) {
      if (l.matches("#\\d+: .*")) {
        if (shown++ >= 3) break;
        out.append("  ").append(l.strip()).append('\n');
      } else if (l.strip().startsWith("at ") && learnerPackage != null
          && l.strip().substring(3).replaceFirst("^[\\w.]+/", "").startsWith(learnerPackage + ".")) {
        out.append("      ").append(l.strip()).append('\n');
      } else if (l.startsWith("Detailed trace")) {
        break;
      }
    }
    return out.length() == 0 ? "" : "Thrown:\n" + out;
  }
}
