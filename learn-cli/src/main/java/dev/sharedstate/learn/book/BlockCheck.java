package dev.sharedstate.learn.book;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.CodeLine;
import dev.sharedstate.chapters.run.SnippetAnalysis;
import dev.sharedstate.chapters.run.LockcheckGate;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.LockEvidence;
import dev.sharedstate.lockcheck.Lockcheck;
import dev.sharedstate.lockcheck.Span;
import dev.sharedstate.lockcheck.report.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Check: lockcheck on a block as the learner edited it, made into the compilation unit the chapters'
 * runner gives lockcheck for a {@code lockcheck-fail} block ({@link LockcheckGate#compilationUnit}),
 * with each finding's spans (where the lock is taken, where it blocks, where it is released, the calls
 * it goes through) mapped back to 1-based line and column of the editor's text, the rule's help, and
 * where to read more.
 */
final class BlockCheck implements AutoCloseable {

  /** A span in the editor's text, 1-based, end column exclusive, with its label and role. */
  record Mark(int line, int column, int endLine, int endColumn, String role, String label) {}

  /** One finding, ready for the page. */
  record Diagnostic(String rule, String message, String why, List<Mark> marks, List<String> help, String rulePage,
      String chapterSection, String chapterLabel) {}

  /** Lockcheck's verdict on a block: findings, or why it could not look. */
  record Result(List<Diagnostic> findings, List<String> problems) {}

  /** Where a rule is explained in the chapters: a book page with its anchor, and a label. */
  record Section(String page, String label) {}

  private final SnippetAnalysis analysis = new SnippetAnalysis();
  private final Function<String, Optional<Section>> sections;
  private final Function<String, Optional<String>> rulePages;

  /**
   * @param sections rule id → the chapter section that explains it
   * @param rulePages rule id → the book page of the rule's documentation
   */
  BlockCheck(Function<String, Optional<Section>> sections, Function<String, Optional<String>> rulePages) {
    this.sections = sections;
    this.rulePages = rulePages;
  }

  /** Checks {@code text} as the code of {@code original} (its mode and fence are kept). */
  Result check(Block original, String text) {
    Block edited = editorBlock(original, text);
    LockcheckGate.Unit unit = analysis.compilationUnit(edited);
    CheckResult result = Lockcheck.withDefaults().checkSource(unit.fileName(), unit.source());
    int[] map = unit.markdownLines();
    List<Diagnostic> out = new ArrayList<>();
    for (Finding f : result.reported()) {
      List<Mark> marks = new ArrayList<>();
      mark(marks, map, f.span(), "blocks", (f.via().isEmpty() ? "blocks here: " : "blocks inside this call: ") + f.why());
      for (LockEvidence l : f.locks()) {
        mark(marks, map, l.acquired(), "acquired", l.acquiredLabel());
        if (l.released() != null) {
          mark(marks, map, l.released(), "released", l.releasedLabel());
        }
      }
      for (Finding.Via v : f.via()) {
        if (v.file() == null || v.file().equals(f.file())) {
          mark(marks, map, v.span(), "via", v.description());
        }
      }
      List<String> help = Rule.byId(f.ruleId()).map(Rule::help).orElse(List.of());
      Optional<Section> section = sections.apply(f.ruleId());
      out.add(new Diagnostic(f.ruleId(), f.message(), f.why(), marks, help, rulePages.apply(f.ruleId()).orElse(""),
          section.map(Section::page).orElse(""), section.map(Section::label).orElse("")));
    }
    List<String> problems = new ArrayList<>();
    for (InputProblem p : result.problems()) {
      int line = p.line() >= 1 && p.line() <= map.length ? map[p.line() - 1] : 0;
      problems.add((line > 0 ? "line " + line + ": " : "") + p.reason());
    }
    return new Result(out, problems);
  }

  /** The block with the editor's text, numbered from line 1, so the unit's lines map to editor lines. */
  static Block editorBlock(Block original, String text) {
    List<CodeLine> lines = new ArrayList<>();
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    String[] raw = body.isEmpty() ? new String[0] : body.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      lines.add(new CodeLine(1 + i, raw[i].replace("\r", ""), false));
    }
    return new Block(Path.of(original.fileName()), 0, original.info(), original.mode(), original.timeout(), lines,
        original.expectedOutput());
  }

  private static void mark(List<Mark> marks, int[] map, Span s, String role, String label) {
    if (s == null || s.line() < 1 || s.line() > map.length) {
      return;
    }
    int line = map[s.line() - 1];
    int endLine = s.endLine() >= 1 && s.endLine() <= map.length ? map[s.endLine() - 1] : line;
    if (line < 1) {
      return;
    }
    marks.add(new Mark(line, Math.max(1, s.column()), Math.max(line, endLine), Math.max(1, s.endColumn() + 1), role,
        label == null ? "" : label));
  }

  @Override
  public void close() {
    analysis.close();
  }
}
