package dev.sharedstate.learn.chapters;

import java.nio.file.Path;

/** One tutorial chapter: its number (1-based), its file name (e.g. {@code 04-one-map-behind-a-lock.md}) and path. */
public record Chapter(int number, String fileName, Path file) {
  /** The slug without number and extension, e.g. {@code one-map-behind-a-lock}. */
  public String slug() {
    return fileName.replaceFirst("^\\d+-", "").replaceFirst("\\.md$", "");
  }
}
