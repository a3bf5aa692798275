package dev.sharedstate.learn.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Scans {@code exercises/exNN-name/} folders. Inside each, the first existing candidate wins:
 * starter {@code src/main/java | starter | src}, reference {@code reference/src/main/java | src/reference/java |
 * reference | solution}, tests {@code src/test/java | test}. The pristine starter comes from git {@code HEAD}.
 */
public final class DirectoryExerciseCatalog implements ExerciseCatalog {
  private static final Pattern NAME = Pattern.compile("ex(\\d{2})-[a-z0-9-]+");
  static final List<String> STARTER = List.of("src/main/java", "starter", "src");
  static final List<String> REFERENCE = List.of("reference/src/main/java", "src/reference/java", "reference", "solution");
  static final List<String> TESTS = List.of("src/test/java", "test");

  private final Path dir;

  public DirectoryExerciseCatalog(Path dir) {
    this.dir = dir;
  }

  @Override
  public List<Exercise> exercises() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
          .map(p -> {
            var name = p.getFileName().toString();
            return new Exercise(Integer.parseInt(name.substring(2, 4)), name, p,
                first(p, STARTER), first(p, REFERENCE), first(p, TESTS), p.resolve("README.md"));
          })
          // A folder without tests (exercise 8 is a benchmark script) is not graded, so it is not listed.
          .filter(e -> Files.isDirectory(e.testRoot()))
          .sorted(Comparator.comparingInt(Exercise::number))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path first(Path dir, List<String> candidates) {
    for (var c : candidates) {
      if (Files.isDirectory(dir.resolve(c))) {
        return dir.resolve(c);
      }
    }
    return dir.resolve(candidates.get(0));
  }

  @Override
  public List<String> hints(Exercise exercise) throws IOException {
    if (!Files.exists(exercise.readme())) {
      return List.of();
    }
    return parseHints(Files.readString(exercise.readme()));
  }

  /** The {@code ## Hints} section split into {@code ###} subsections, else into its top-level list items. */
  static List<String> parseHints(String readme) {
    var section = new ArrayList<String>();
    boolean in = false;
    for (var line : readme.split("\\R", -1)) {
      if (line.matches("##\\s+.*")) {
        in = line.toLowerCase().matches("##\\s+hints?\\s*");
        continue;
      }
      if (line.matches("#\\s+.*")) {
        in = false;
      }
      if (in) {
        section.add(line);
      }
    }
    boolean bySubsection = section.stream().anyMatch(l -> l.startsWith("### "));
    var hints = new ArrayList<String>();
    var current = new StringBuilder();
    for (var line : section) {
      boolean start = bySubsection ? line.startsWith("### ") : line.matches("(\\d+[.)]|[-*+])\\s+.*");
      if (start && !current.isEmpty()) {
        hints.add(current.toString().strip());
        current.setLength(0);
      }
      if (start || !current.isEmpty() || bySubsection) {
        var text = start && !bySubsection ? line.replaceFirst("^(\\d+[.)]|[-*+])\\s+", "") : line;
        if (!(start && bySubsection)) {
          current.append(text.startsWith("   ") && !bySubsection ? text.strip() : text).append('\n');
        } else {
          current.append(line.substring(4).strip()).append(":\n");
        }
      }
    }
    if (!current.toString().isBlank()) {
      hints.add(current.toString().strip());
    }
    return hints;
  }

  @Override
  public Optional<String> pristineStarter(Exercise exercise, Path relative) throws IOException {
    var file = exercise.starterRoot().resolve(relative);
    var pb = new ProcessBuilder("git", "show", "HEAD:" + repoRelative(file))
        .directory(gitRoot(file).toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return Optional.empty();
    }
    var bytes = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
  }

  private static Path gitRoot(Path file) {
    for (var d = file.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) {
        return d;
      }
    }
    return file.toAbsolutePath().getParent();
  }

  private static String repoRelative(Path file) {
    return gitRoot(file).relativize(file.toAbsolutePath()).toString().replace('\\', '/');
  }
}
