package dev.sharedstate.lockcheck.report;

import dev.sharedstate.lockcheck.source.SourceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Source lines for the text format's snippets, read once per file; missing files give no lines. */
public final class SourceLines {

  private final Map<Path, List<String>> cache = new HashMap<>();
  private final Map<Path, String> given = new HashMap<>();

  /** Lines come from the files on disk. */
  public SourceLines() {}

  /** Uses this text for {@code file} instead of reading it (for checked source strings). */
  public SourceLines with(Path file, String text) {
    given.put(file, text);
    return this;
  }

  /** Line {@code n} (1-based) without its line terminator, or null. */
  public String line(Path file, int n) {
    List<String> lines = cache.computeIfAbsent(file, this::load);
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : null;
  }

  private List<String> load(Path file) {
    String text = given.get(file);
    if (text == null) {
      try {
        text = SourceText.decode(Files.readAllBytes(file)).text();
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    return List.of(text.split("\r\n|\r|\n", -1));
  }
}
