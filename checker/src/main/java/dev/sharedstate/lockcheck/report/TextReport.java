package dev.sharedstate.lockcheck.report;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.LockEvidence;
import dev.sharedstate.lockcheck.Span;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The default, human format: one rustc-style diagnostic per finding, the lock acquisition, the
 * blocking call and the release each a labelled span under its source line, then the three fixes and
 * the rule page. Suppressed findings are only counted. ANSI colour only when asked (a terminal).
 */
public final class TextReport {

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String YELLOW = "\u001b[1;33m";
  private static final String BLUE = "\u001b[1;34m";
  private static final String CYAN = "\u001b[1;36m";
  private static final String RED = "\u001b[1;31m";

  static final List<String> HELP = List.of(
      "release the lock before waiting: copy what you need while holding it, then block after the region ends",
      "or hand the work to an owner thread by message (a queue or an executor) and do not wait for it under the lock",
      "or use a lock made to be held across waits: wait on a Condition of this very lock (await releases it), "
          + "or restructure so the waited-on work never needs this lock");

  private final boolean color;

  public TextReport(boolean color) {
    this.color = color;
  }

  private String c(String code, String s) {
    return color ? code + s + RESET : s;
  }

  /** Writes every unsuppressed finding, then a one-line summary. Problems go to {@code err}. */
  public void write(CheckResult result, SourceLines lines, PrintWriter out, PrintWriter err) {
    for (Finding f : result.findings()) {
      if (!f.suppressed()) {
        out.print(render(f, lines));
        out.println();
      }
    }
    for (InputProblem p : result.problems()) {
      err.println(problemLine(p));
    }
    out.println(summary(result));
    out.flush();
    err.flush();
  }

  /** The one line an unanalysable input gets: where, and why. */
  public String problemLine(InputProblem p) {
    String where = p.file() + (p.line() > 0 ? ":" + p.line() + (p.column() > 0 ? ":" + p.column() : "") : "");
    return where + ": " + c(RED, "error") + ": " + p.reason();
  }

  public static String summary(CheckResult r) {
    long reported = r.reported().size();
    long suppressed = r.findings().size() - reported;
    long files = r.findings().stream().filter(f -> !f.suppressed()).map(Finding::file).distinct().count();
    StringBuilder sb = new StringBuilder("lockcheck: ");
    sb.append(reported == 0 ? "no findings" : reported + (reported == 1 ? " finding" : " findings") + " in " + files
        + (files == 1 ? " file" : " files"));
    if (suppressed > 0) {
      sb.append(" (").append(suppressed).append(" suppressed)");
    }
    if (!r.problems().isEmpty()) {
      sb.append(", ").append(r.problems().size()).append(r.problems().size() == 1 ? " input" : " inputs")
          .append(" not analysed");
    }
    sb.append("; ").append(r.filesChecked()).append(r.filesChecked() == 1 ? " file checked" : " files checked");
    return sb.toString();
  }

  private record Label(Span span, String text, boolean primary) {}

  /** One finding as a multi-line diagnostic (ends with a newline). */
  public String render(Finding f, SourceLines lines) {
    List<Label> labels = new ArrayList<>();
    labels.add(new Label(f.span(), (f.via().isEmpty() ? "blocks here: " : "blocks inside this call: ") + f.why(), true));
    // steps of a chain through helper methods in other files: a snippet per file, rustc's `:::`
    java.util.Map<java.nio.file.Path, List<Label>> elsewhere = new java.util.LinkedHashMap<>();
    for (LockEvidence l : f.locks()) {
      labels.add(new Label(l.acquired(), l.acquiredLabel(), false));
      if (l.released() != null) {
        labels.add(new Label(l.released(), l.releasedLabel(), false));
      }
    }
    for (Finding.Via v : f.via()) {
      java.nio.file.Path in = v.fileOr(f.file());
      Label l = new Label(v.span(), v.description(), false);
      if (in.equals(f.file())) {
        labels.add(l);
      } else {
        elsewhere.computeIfAbsent(in, k -> new ArrayList<>()).add(l);
      }
    }
    Comparator<Label> byPosition = Comparator.comparingInt((Label l) -> l.span().line())
        .thenComparingInt(l -> l.span().column());
    labels.sort(byPosition);
    int maxLine = labels.stream().mapToInt(l -> l.span().line()).max().orElse(1);
    for (List<Label> ls : elsewhere.values()) {
      ls.sort(byPosition);
      maxLine = Math.max(maxLine, ls.stream().mapToInt(l -> l.span().line()).max().orElse(1));
    }
    int width = String.valueOf(maxLine).length();
    String pad = " ".repeat(width);
    StringBuilder sb = new StringBuilder();
    sb.append(c(YELLOW, "warning[" + f.ruleId() + "]")).append(c(BOLD, ": " + f.message())).append('\n');
    sb.append(pad).append(c(BLUE, "--> ")).append(f.file()).append(':').append(f.line()).append(':').append(f.column())
        .append('\n');
    sb.append(pad).append(c(BLUE, " |")).append('\n');
    snippet(sb, f.file(), labels, lines, width);
    for (var e : elsewhere.entrySet()) {
      Span first = e.getValue().get(0).span();
      sb.append(pad).append(c(BLUE, "::: ")).append(e.getKey()).append(':').append(first.line()).append(':')
          .append(first.column()).append('\n');
      sb.append(pad).append(c(BLUE, " |")).append('\n');
      snippet(sb, e.getKey(), e.getValue(), lines, width);
    }
    sb.append(pad).append(c(BLUE, " |")).append('\n');
    List<String> help = Rule.byId(f.ruleId()).map(Rule::help).orElse(HELP);
    for (String h : help) {
      sb.append(pad).append(c(BLUE, " = ")).append(c(CYAN, "help")).append(": ").append(h).append('\n');
    }
    sb.append(pad).append(c(BLUE, " = ")).append(c(BOLD, "note")).append(": see ")
        .append(Rule.byId(f.ruleId()).map(Rule::docPath).orElse("checker/docs/rules/" + f.ruleId() + ".md"))
        .append(" (or `lockcheck --explain ").append(f.ruleId()).append("`)\n");
    return sb.toString();
  }

  /** Source lines of one file with their labels under them, `...` between distant lines. */
  private void snippet(StringBuilder sb, java.nio.file.Path file, List<Label> labels, SourceLines lines, int width) {
    String pad = " ".repeat(width);
    int lastLine = -1;
    for (Label l : labels) {
      int n = l.span().line();
      String src = lines.line(file, n);
      if (n != lastLine) {
        if (lastLine > 0 && n > lastLine + 1) {
          sb.append(c(BLUE, "...")).append('\n');
        }
        if (src != null) {
          sb.append(c(BLUE, String.format("%" + width + "d |", n))).append(src.isEmpty() ? "" : " " + expandTabs(src))
              .append('\n');
        }
        lastLine = n;
      }
      int startCol = displayColumn(src, l.span().column());
      int endCol = l.span().endLine() == n ? displayColumn(src, l.span().endColumn())
          : Math.max(startCol, src == null ? startCol : expandTabs(src).length());
      int len = Math.max(1, endCol - startCol + 1);
      String marks = (l.primary() ? "^" : "-").repeat(len);
      sb.append(pad).append(c(BLUE, " |")).append(' ').append(" ".repeat(Math.max(0, startCol - 1)))
          .append(c(l.primary() ? YELLOW : BLUE, marks + " " + l.text())).append('\n');
    }
  }

  private static String expandTabs(String s) {
    if (s.indexOf('\t') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\t') {
        sb.append(" ".repeat(4 - sb.length() % 4));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** The 1-based display column of a source column, tabs expanded to 4. */
  private static int displayColumn(String src, int column) {
    if (src == null || src.indexOf('\t') < 0) {
      return column;
    }
    int prefix = Math.min(Math.max(0, column - 1), src.length());
    return expandTabs(src.substring(0, prefix)).length() + 1;
  }
}
