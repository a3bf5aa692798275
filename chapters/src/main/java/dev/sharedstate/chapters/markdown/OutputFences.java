package dev.sharedstate.chapters.markdown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rewrites output fences in place: what "bless" does. */
public final class OutputFences {

  private OutputFences() {}

  /** New content for one output fence. */
  public record Rewrite(ExpectedOutput fence, String content) {}

  /**
   * Whether a fence may be overwritten: it must be closed and hold no wildcard (wildcards are
   * hand-written, and a rewrite would replace them with one run's numbers).
   */
  public static boolean blessable(ExpectedOutput fence) {
    return !fence.text().contains(ExpectedOutput.ANY_TEXT)
        && ExpectedOutput.normalise(fence.text()).stream().noneMatch(l -> l.strip().equals(ExpectedOutput.ANY_LINES));
  }

  /** Replaces the lines between each fence's opening and closing lines, keeping the fence's indent. */
  public static void rewrite(Path file, List<Rewrite> rewrites) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      List<Rewrite> bottomUp = new ArrayList<>(rewrites);
      bottomUp.sort(Comparator.comparingInt((Rewrite r) -> r.fence().line()).reversed());
      for (Rewrite r : bottomUp) {
        int open = r.fence().line() - 1; // 0-based index of the opening fence
        int close = r.fence().endLine() - 1;
        if (close >= lines.size() || close <= open) {
          continue; // unclosed fence: leave it alone
        }
        String openLine = lines.get(open);
        String indent = openLine.substring(0, openLine.length() - openLine.stripLeading().length());
        List<String> content = new ArrayList<>();
        for (String l : ExpectedOutput.normalise(r.content())) {
          content.add(l.isEmpty() ? "" : indent + l);
        }
        for (int i = close - 1; i > open; i--) {
          lines.remove(i);
        }
        lines.addAll(open + 1, content);
      }
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite output fences in " + file, e);
    }
  }
}
