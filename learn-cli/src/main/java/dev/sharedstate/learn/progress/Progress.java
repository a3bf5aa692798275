package dev.sharedstate.learn.progress;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The learner's progress: one small properties file ({@code .learn/progress.properties}, ignored by git).
 * Holds read-marks, hints given and the last grade of each exercise; deleting it loses only those.
 */
public final class Progress {
  private final Path file;
  private final Properties props = new Properties();

  private Progress(Path file) {
    this.file = file;
  }

  /** Loads the file if it exists; a corrupt file is treated as empty (it only holds marks). */
  public static Progress load(Path file) {
    var p = new Progress(file);
    if (Files.exists(file)) {
      try {
        p.props.load(new StringReader(Files.readString(file)));
      } catch (IOException | IllegalArgumentException e) {
        p.props.clear();
      }
    }
    return p;
  }

  public boolean isRead(int chapter) {
    return props.containsKey("read." + chapter);
  }

  public void markRead(int chapter) {
    props.setProperty("read." + chapter, "true");
  }

  public int hintsGiven(String exercise) {
    return Integer.parseInt(props.getProperty("hints." + exercise, "0"));
  }

  public void setHintsGiven(String exercise, int n) {
    props.setProperty("hints." + exercise, Integer.toString(n));
  }

  /** "passed", "failed", "not-started" (the default when never graded). */
  public String status(String exercise) {
    return props.getProperty("status." + exercise, "not-started");
  }

  public void setStatus(String exercise, String status) {
    props.setProperty("status." + exercise, status);
  }

  /** Writes atomically (temp file + move) so an interrupted save never corrupts it. */
  public void save() throws IOException {
    Files.createDirectories(file.getParent());
    var w = new StringWriter();
    w.write("# ./learn progress: read-marks, hints given, last grades. Safe to delete.\n");
    for (var e : new TreeMap<>(props).entrySet()) {
      w.write(e.getKey() + "=" + e.getValue() + "\n");
    }
    var tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, w.toString());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
