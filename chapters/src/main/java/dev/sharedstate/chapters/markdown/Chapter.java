package dev.sharedstate.chapters.markdown;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed chapter: its file, its first heading, its {@code java} blocks in document order, and
 * any malformed fences found while parsing (each of which should fail a build).
 */
public record Chapter(Path file, String title, List<Block> blocks, List<ParseProblem> problems) {
  public Chapter {
    blocks = List.copyOf(blocks);
    problems = List.copyOf(problems);
  }

  /** The file name without directories, e.g. {@code 01-the-problem.md}. */
  public String fileName() {
    return file.getFileName().toString();
  }

  /** The chapter number from the {@code NN-} prefix of the file name, or 0 if it has none. */
  public int number() {
    String name = fileName();
    int dash = name.indexOf('-');
    try {
      return dash > 0 ? Integer.parseInt(name.substring(0, dash)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
