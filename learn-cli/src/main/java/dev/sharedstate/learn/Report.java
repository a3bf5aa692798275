package dev.sharedstate.learn;

import dev.sharedstate.learn.exercises.Exercise;
import dev.sharedstate.learn.exercises.Grade;

/** The compact, learner-friendly text for a grade (one line, then details when something is wrong). */
final class Report {
  private Report() {}

  static String grade(Exercise e, Grade g, boolean color, boolean detailed) {
    var sb = new StringBuilder();
    switch (g) {
      case Grade.Passed p -> sb.append(mark(color, "32", "✓ passed")).append("  ").append(e.name())
          .append("  (").append(p.tests()).append(" tests)\n");
      case Grade.NotStarted n -> sb.append(mark(color, "2", "· not started")).append("  ").append(e.name())
          .append("  (").append(n.why()).append(")\n");
      case Grade.Failed f -> {
        sb.append(mark(color, "31", "✗ failed")).append("  ").append(e.name()).append("  (")
            .append(f.passed()).append('/').append(f.total()).append(" tests pass)\n");
        // One exercise: each failure whole (the grader keeps a message to a terminal's worth, and a stuck
        // thread's stack reaches the learner's own frame); all of them: a few lines each.
        f.failures().stream().limit(detailed ? 20 : 3)
            .forEach(m -> sb.append("    ").append(firstLines(m, detailed ? FAILURE_LINES : 4)).append('\n'));
      }
      case Grade.CompileError c -> {
        sb.append(mark(color, "31", "✗ does not compile")).append("  ").append(e.name()).append('\n');
        c.diagnostics().stream().limit(detailed ? 20 : 5).forEach(d -> sb.append("    ").append(firstLines(d, 4)).append('\n'));
      }
      case Grade.TimedOut t -> {
        sb.append(mark(color, "31", "✗ timed out")).append("  ").append(e.name()).append("  (stopped after ")
            .append(t.seconds()).append(" s: a deadlock or a lost wake-up? the stuck threads:)\n");
        t.stacks().lines().limit(detailed ? 80 : 20).forEach(l -> sb.append("    ").append(l).append('\n'));
      }
    }
    return sb.toString();
  }

  /** Lines of one failure shown by {@code verify EX}: a Lincheck interleaving or a stuck stack fits. */
  static final int FAILURE_LINES = 60;

  private static String firstLines(String s, int max) {
    var all = s.lines().toList();
    var lines = new java.util.ArrayList<>(all.subList(0, Math.min(max, all.size())));
    if (all.size() > max) lines.add("... (" + (all.size() - max) + " more lines" + (max == 4 ? ": ./learn verify EX shows them)" : ")"));
    return String.join("\n      ", lines);
  }

  private static String mark(boolean color, String sgr, String text) {
    return color ? "\u001b[" + sgr + ";1m" + text + "\u001b[0m" : text;
  }
}
