package dev.sharedstate.lockcheck;

import java.nio.file.Path;
import java.util.List;

/**
 * One reported problem: a rule, the position of the blocking call (1-based), and the message; then the
 * evidence the reports show: the call's full span, the call as written, why it blocks, the locks
 * held there, the methods it was reached through (a method reference's target), and whether a
 * {@code @SuppressWarnings} silenced it (suppressed findings never count for the exit code).
 */
public record Finding(
    String ruleId,
    Path file,
    int line,
    int column,
    String message,
    Span span,
    String call,
    String why,
    List<LockEvidence> locks,
    List<Via> via,
    boolean suppressed) {

  public Finding {
    locks = List.copyOf(locks);
    via = List.copyOf(via);
  }

  /** The minimal form (no evidence), kept for embedders that build findings themselves. */
  public Finding(String ruleId, Path file, int line, int column, String message) {
    this(ruleId, file, line, column, message, Span.at(line, column), "", "", List.of(), List.of(), false);
  }

  /**
   * A step between the lock region and the blocking call, e.g. the body of {@code this::fetch}, or one
   * call of a chain through helper methods ({@code file} is null when it is the finding's own file).
   */
  public record Via(String description, Span span, Path file) {
    public Via(String description, Span span) {
      this(description, span, null);
    }

    /** The file this step is in, given the finding's own. */
    public Path fileOr(Path findingFile) {
      return file == null ? findingFile : file;
    }
  }
}
