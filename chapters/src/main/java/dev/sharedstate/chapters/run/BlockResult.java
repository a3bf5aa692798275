package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import java.time.Duration;

/** What happened to one code block. A closed set, so reports switch over it exhaustively. */
public sealed interface BlockResult {

  Block block();

  /** It compiled, ran (unless it is not meant to), and printed what its output fence says. */
  record Passed(Block block, String stdout, Duration elapsed) implements BlockResult {}

  /**
   * It did not. {@code line} is the Markdown line to look at (the failing snippet's first line, or
   * the diagnostic's), {@code summary} one line, {@code details} the snippet, the diagnostic or
   * exception, and expected versus actual output.
   */
  record Failed(Block block, int line, String summary, String details, String stdout)
      implements BlockResult {

    /** The full report: {@code file:line: summary}, then the details. */
    public String message() {
      return block.fileName() + ":" + line + ": " + summary + (details.isEmpty() ? "" : "\n" + details);
    }
  }

  /** Not run, on purpose ({@code skip="reason"}). */
  record Skipped(Block block, String reason) implements BlockResult {}
}
