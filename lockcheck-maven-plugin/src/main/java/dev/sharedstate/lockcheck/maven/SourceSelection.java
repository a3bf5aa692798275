package dev.sharedstate.lockcheck.maven;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files to check: every regular file under the source roots whose path relative to its root
 * matches an include and no exclude. Patterns are Maven-style globs: {@code **}{@code /} also matches
 * no folder at all, so {@code **}{@code /*.java} takes a file at the root too.
 */
final class SourceSelection {

  private SourceSelection() {}

  static List<Path> select(Path basedir, List<String> roots, List<String> includes, List<String> excludes)
      throws IOException {
    List<PathMatcher> in = matchers(includes.isEmpty() ? List.of("**/*.java") : includes);
    List<PathMatcher> out = matchers(excludes);
    TreeSet<Path> files = new TreeSet<>();
    for (String root : roots) {
      Path dir = basedir.resolve(root).normalize();
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) walk::iterator) {
          Path rel = dir.relativize(f);
          if (Files.isRegularFile(f) && matches(in, rel) && !matches(out, rel)) {
            files.add(f);
          }
        }
      }
    }
    return List.copyOf(files);
  }

  private static List<PathMatcher> matchers(List<String> patterns) {
    List<PathMatcher> ms = new ArrayList<>();
    for (String p : patterns) {
      String glob = p.strip().replace('\\', '/');
      ms.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      while (glob.startsWith("**/")) {
        glob = glob.substring(3);
        ms.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      }
    }
    return ms;
  }

  private static boolean matches(List<PathMatcher> ms, Path rel) {
    return ms.stream().anyMatch(m -> m.matches(rel));
  }
}
