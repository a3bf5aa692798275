package dev.sharedstate.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (chapters, exercise READMEs, rule pages, READMEs) points at
 * a file that exists and, with a {@code #fragment}, at a heading that exists there (GitHub's anchor rules).
 * The chapters and the exercises cross-link heavily; a renamed heading must not leave a learner at a dead end.
 */
class RepoLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  @Test
  @DisplayName("every relative Markdown link in the project resolves to a file and, with #fragment, a heading")
  void relativeLinksResolve() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT)) {
      files = walk.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> {
            String rel = ROOT.relativize(p).toString().replace('\\', '/');
            return !rel.startsWith(".") && !rel.contains("/target/") && !rel.startsWith("target/")
                && !rel.contains("src/test/resources/") && !rel.contains("/node_modules/");
          })
          .sorted().toList();
    }
    assertTrue(files.size() >= 10, "expected the project's Markdown files under " + ROOT + ", found " + files);
    List<String> broken = new ArrayList<>();
    for (Path file : files) {
      boolean inFence = false;
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.stripLeading().startsWith("```")) {
          inFence = !inFence;
        }
        if (inFence) {
          continue;
        }
        Matcher m = LINK.matcher(line);
        while (m.find()) {
          String target = m.group(1);
          if (target.matches("[a-zA-Z][a-zA-Z+.-]*:.*")) {
            continue; // https:, mailto: ...
          }
          int hash = target.indexOf('#');
          String path = hash < 0 ? target : target.substring(0, hash);
          String fragment = hash < 0 ? "" : target.substring(hash + 1);
          Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
          String where = ROOT.relativize(file) + ":" + (i + 1) + ": ";
          if (!Files.exists(resolved)) {
            broken.add(where + target + " (no such file)");
          } else if (!fragment.isEmpty() && resolved.toString().endsWith(".md")
              && !anchorsOf(resolved).contains(fragment)) {
            broken.add(where + target + " (no heading with that anchor in " + ROOT.relativize(resolved) + ")");
          }
        }
      }
    }
    assertEquals(List.of(), broken, "broken links:\n" + String.join("\n", broken));
  }

  private Set<String> anchorsOf(Path md) {
    return anchors.computeIfAbsent(md, p -> {
      Set<String> result = new HashSet<>();
      boolean inFence = false;
      try {
        for (String line : Files.readAllLines(p)) {
          if (line.stripLeading().startsWith("```")) {
            inFence = !inFence;
          }
          if (!inFence && line.matches("#{1,6} .*")) {
            result.add(slug(line.replaceFirst("^#+ ", "")));
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return result;
    });
  }

  /** GitHub's heading anchor: lower case, punctuation dropped (but not '-' or '_'), spaces to '-'. */
  static String slug(String heading) {
    return heading.strip().toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
        .replace(' ', '-');
  }
}
