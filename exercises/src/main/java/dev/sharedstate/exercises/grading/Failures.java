package dev.sharedstate.exercises.grading;

/** Keeps failure messages to what a learner reads: a bounded number of lines, and of characters per line. */
public final class Failures {
  private Failures() {}

  /**
   * {@code text} cut to at most {@code maxLines} lines and {@code maxChars} characters, each line to 240
   * characters, saying what was cut.
   */
  public static String clip(String text, int maxLines, int maxChars) {
    if (text == null) return "";
    var out = new StringBuilder();
    String[] lines = text.stripTrailing().split("\\R", -1);
    int kept = 0;
    for (String l : lines) {
      if (kept == maxLines || out.length() + Math.min(l.length(), 240) > maxChars) {
        out.append("... (").append(lines.length - kept).append(" more lines cut)");
        return out.toString();
      }
      out.append(l.length() > 240 ? l.substring(0, 237) + "..." : l).append('\n');
      kept++;
    }
    return out.toString().stripTrailing();
  }
}
