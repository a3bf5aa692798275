package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.Lockcheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks {@code lockcheck-fail} blocks with lockcheck, and renders lockcheck's plain-text report of
 * a block for the output fence that shows it to readers.
 */
public class LockcheckGate {

  /** The CLI class, looked up at run time: it lands with lockcheck's engine. */
  static final String CLI_CLASS = "dev.sharedstate.lockcheck.cli.Cli";

  private static final Pattern TYPE_NAME =
      Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Za-z_$][\\w$]*)");

  /**
   * A block made into a Java compilation unit. {@code markdownLines[i]} is the Markdown line of the
   * unit's line {@code i + 1}, so findings can point at the chapter.
   */
  public record Unit(String fileName, String source, int[] markdownLines) {
    int markdownLine(int unitLine) {
      return unitLine >= 1 && unitLine <= markdownLines.length ? markdownLines[unitLine - 1] : 0;
    }
  }

  /**
   * Turns a block into a compilation unit lockcheck can parse. A block of imports and type
   * declarations is used as written (so lockcheck's line numbers are the block's own); otherwise
   * methods go into a class {@code ChapterSnippet} and statements into its method {@code run()}.
   */
  public static Unit compilationUnit(Block block, List<Piece> pieces) {
    boolean typesOnly = pieces.stream().allMatch(p -> p.kind() == Piece.Kind.IMPORT || p.kind() == Piece.Kind.TYPE);
    String firstType =
        pieces.stream()
            .filter(p -> p.kind() == Piece.Kind.TYPE)
            .map(p -> TYPE_NAME.matcher(p.source()))
            .filter(Matcher::find)
            .map(m -> m.group(1))
            .findFirst()
            .orElse("ChapterSnippet");
    if (typesOnly) {
      String text = block.fullText();
      int n = (int) text.lines().count();
      int[] map = new int[n];
      for (int i = 0; i < n; i++) {
        map[i] = block.firstCodeLine() + i;
      }
      return new Unit(firstType + ".java", text, map);
    }
    StringBuilder src = new StringBuilder();
    List<Integer> map = new ArrayList<>();
    for (Piece p : pieces) {
      if (p.kind() == Piece.Kind.IMPORT) {
        append(src, map, p.source(), p.line());
      }
    }
    append(src, map, "class ChapterSnippet {", block.line());
    for (Piece p : pieces) {
      if (p.kind() == Piece.Kind.TYPE || p.kind() == Piece.Kind.METHOD) {
        append(src, map, p.source(), p.line());
      }
    }
    append(src, map, "void run() throws Exception {", block.line());
    for (Piece p : pieces) {
      if (p.kind() == Piece.Kind.VARIABLE || p.kind() == Piece.Kind.STATEMENT || p.kind() == Piece.Kind.ERRONEOUS) {
        append(src, map, p.source(), p.line());
      }
    }
    append(src, map, "}", block.line());
    append(src, map, "}", block.line());
    return new Unit("ChapterSnippet.java", src.toString(), map.stream().mapToInt(Integer::intValue).toArray());
  }

  private static void append(StringBuilder src, List<Integer> map, String text, int firstLine) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      src.append(lines[i]).append('\n');
      map.add(firstLine + i);
    }
  }

  /** Runs lockcheck on the unit; returns why the expectation is not met, or empty if it is. */
  public Optional<String> check(Unit unit, Optional<String> ruleId) {
    CheckResult result;
    try {
      result = analyse(unit);
    } catch (UnsupportedOperationException e) {
      return Optional.of("  lockcheck is not available in this build: " + e.getMessage());
    } catch (RuntimeException e) {
      return Optional.of("  lockcheck failed on the block: " + e);
    }
    List<Finding> relevant =
        result.findings().stream().filter(f -> ruleId.isEmpty() || ruleId.get().equals(f.ruleId())).toList();
    if (!relevant.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    sb.append("  expected: a finding")
        .append(ruleId.map(r -> " of rule " + r).orElse(""))
        .append('\n')
        .append("  actual:   ")
        .append(result.findings().isEmpty() ? "no findings" : result.findings().size() + " finding(s) of other rules")
        .append('\n');
    for (Finding f : result.findings()) {
      sb.append("    ").append(at(unit, f.line())).append(' ').append(f.ruleId()).append(": ").append(f.message()).append('\n');
    }
    for (InputProblem p : result.problems()) {
      sb.append("    input problem at ").append(at(unit, p.line())).append(": ").append(p.reason()).append('\n');
    }
    if (!result.problems().isEmpty()) {
      sb.append("  the compilation unit lockcheck saw:\n");
      String[] lines = unit.source().split("\n", -1);
      for (int i = 0; i < lines.length - 1; i++) {
        sb.append(String.format("    %3d | %s%n", i + 1, lines[i]));
      }
    }
    return Optional.of(sb.toString().stripTrailing());
  }

  /** The analysis itself; a seam for tests of the runner. */
  protected CheckResult analyse(Unit unit) {
    return Lockcheck.withDefaults().checkSource(unit.fileName(), unit.source());
  }

  private static String at(Unit unit, int unitLine) {
    int md = unit.markdownLine(unitLine);
    return md > 0 ? "line " + md + " of the chapter" : "line " + unitLine + " of " + unit.fileName();
  }

  /** Why the CLI report could not be produced (the CLI is missing, or it threw). */
  public static final class ReportUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    ReportUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What {@code lockcheck --no-color <file>} prints for the unit, the file written as {@code
   * <FirstType>.java} in a temporary folder and the folder removed from the paths in the report.
   */
  public String report(Unit unit) throws ReportUnavailable {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("chapter-lockcheck");
      Path file = dir.resolve(unit.fileName());
      Files.writeString(file, unit.source());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
        invokeCli(new String[] {"--no-color", file.toString()}, o, e);
      }
      String prefix = dir.toString() + dir.getFileSystem().getSeparator();
      String text = out.toString() + err.toString();
      return text.replace(prefix, "").replace(dir.toUri().toString(), "");
    } catch (IOException e) {
      throw new ReportUnavailable("cannot write the block to a temporary file: " + e.getMessage(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Calls {@code Cli.run(String[], PrintWriter, PrintWriter)}, static or on a new instance. */
  protected void invokeCli(String[] args, PrintWriter out, PrintWriter err) throws ReportUnavailable {
    try {
      Class<?> cli = Class.forName(CLI_CLASS);
      Method run = cli.getMethod("run", String[].class, PrintWriter.class, PrintWriter.class);
      Object target = Modifier.isStatic(run.getModifiers()) ? null : cli.getDeclaredConstructor().newInstance();
      run.invoke(target, args, out, err);
    } catch (ClassNotFoundException e) {
      throw new ReportUnavailable(CLI_CLASS + " is not in this build yet (it lands with lockcheck's engine)", e);
    } catch (InvocationTargetException e) {
      throw new ReportUnavailable("lockcheck's CLI threw " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ReportUnavailable("cannot call " + CLI_CLASS + ".run(String[], PrintWriter, PrintWriter): " + e, e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
