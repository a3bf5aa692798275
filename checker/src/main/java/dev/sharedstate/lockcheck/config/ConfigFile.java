package dev.sharedstate.lockcheck.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a project's {@code lockcheck.yaml}. Apart from {@link ProjectConfig} so that a run without a
 * config never loads the YAML and data-binding classes (startup time).
 */
public final class ConfigFile {

  /** The file name searched for next to the sources. */
  public static final String NAME = "lockcheck.yaml";

  private ConfigFile() {}

  /**
   * The {@code lockcheck.yaml} that applies to {@code path}: the first found in the path's directory
   * (the path itself when it is a directory) or a directory above it, stopping after the first
   * directory that contains {@code .git} (the repository's root) or at the file system's root.
   */
  public static Optional<Path> discover(Path path) {
    return nearest(path, NAME, true);
  }

  /**
   * The first file called {@code name} in the directory of {@code path} (the path itself when it is a
   * directory) or a directory above it; with {@code stopAtRepositoryRoot}, not above the first
   * directory that contains {@code .git}.
   */
  static Optional<Path> nearest(Path path, String name, boolean stopAtRepositoryRoot) {
    Path dir = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
      if (stopAtRepositoryRoot && Files.exists(d.resolve(".git"))) {
        break;
      }
    }
    return Optional.empty();
  }
}
