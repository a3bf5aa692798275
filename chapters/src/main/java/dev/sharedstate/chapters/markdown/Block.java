package dev.sharedstate.chapters.markdown;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One {@code java} code block of a chapter, with everything its fence declares.
 *
 * @param file the chapter file
 * @param line 1-based line of the opening fence
 * @param info the fence's info string, as written
 * @param mode what the runner does with it
 * @param timeout the per-snippet timeout declared with {@code timeout=}, if any
 * @param lines the code lines, hidden ones included (flagged), with their file lines
 * @param expectedOutput the {@code ```output} fence that follows it, if any
 */
public record Block(
    Path file,
    int line,
    String info,
    Mode mode,
    Optional<Duration> timeout,
    List<CodeLine> lines,
    Optional<ExpectedOutput> expectedOutput) {

  /** The prefix of a hidden line: a Java comment, so the line still compiles where it is shown. */
  public static final String HIDDEN_PREFIX = "/* hidden */";

  public Block {
    lines = List.copyOf(lines);
  }

  /** {@code 01-the-problem.md:42}: where a report points. */
  public String location() {
    return fileName() + ":" + line;
  }

  /** The chapter's file name, without directories. */
  public String fileName() {
    return file.getFileName().toString();
  }

  /** 1-based file line of the first code line (the line after the opening fence). */
  public int firstCodeLine() {
    return line + 1;
  }

  /** The code as rendered for a reader: hidden lines left out. */
  public String visibleText() {
    return lines.stream()
        .filter(l -> !l.hidden())
        .map(CodeLine::text)
        .collect(Collectors.joining("\n", "", lines.isEmpty() ? "" : "\n"));
  }

  /**
   * The code as executed: every line, hidden ones included (prefix removed), one text line per
   * file line, so an offset in it maps back to the Markdown line.
   */
  public String fullText() {
    return lines.stream()
        .map(CodeLine::text)
        .collect(Collectors.joining("\n", "", lines.isEmpty() ? "" : "\n"));
  }

  /** A short label for test names: the first visible line that says something. */
  public String label() {
    String best = "";
    for (CodeLine l : lines) {
      String t = l.text().strip();
      if (l.hidden() || t.isEmpty() || t.startsWith("//") || t.startsWith("import ")) {
        continue;
      }
      best = t;
      break;
    }
    if (best.isEmpty()) {
      best = lines.stream().map(l -> l.text().strip()).filter(t -> !t.isEmpty()).findFirst().orElse("(empty)");
    }
    return best.length() > 60 ? best.substring(0, 57) + "..." : best;
  }
}
