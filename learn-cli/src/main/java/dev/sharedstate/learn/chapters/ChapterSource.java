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
