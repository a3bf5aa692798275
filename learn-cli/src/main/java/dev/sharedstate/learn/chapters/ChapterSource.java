package dev.sharedstate.learn.chapters;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code ./learn} finds the chapters. The directory implementation scans {@code chapters/NN-*.md};
 * the chapters module may later provide its own (e.g. with parsed snippets) behind this interface.
 */
public interface ChapterSource {
  /** All chapters, ordered by number. */
  List<Chapter> chapters();

  /** The chapter's Markdown text. */
  String markdown(Chapter chapter) throws IOException;

  /**
   * The chapter's title: its first level-1 heading without Markdown and without a leading "7." (the
   * number is shown beside it), else the file name when the file has none or cannot be read.
   */
  default String title(Chapter chapter) {
    try {
      for (var line : markdown(chapter).split("\\R")) {
        if (line.startsWith("# ")) {
          var t = line.substring(2).strip().replace("`", "").replaceFirst("^\\d+\\.\\s+", "");
          return t.isEmpty() ? chapter.fileName() : t;
        }
      }
    } catch (IOException unreadable) {
      // the file name will do
    }
    return chapter.fileName();
  }

  /** Resolves what a learner typed: {@code 4}, {@code 04}, {@code 04-one-map-behind-a-lock(.md)} or the slug. */
  default Optional<Chapter> find(String name) {
    var n = name.strip().replaceFirst("\\.md$", "");
    for (var c : chapters()) {
      var base = c.fileName().replaceFirst("\\.md$", "");
      if (base.equals(n) || c.slug().equals(n)) {
        return Optional.of(c);
      }
      if (n.matches("\\d+") && Integer.parseInt(n) == c.number()) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
