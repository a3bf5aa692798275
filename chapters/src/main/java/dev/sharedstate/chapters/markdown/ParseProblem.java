package dev.sharedstate.chapters.markdown;

import java.nio.file.Path;

/** A malformed fence (unknown marker, a skip without a reason, a stray output fence...). */
public record ParseProblem(Path file, int line, String message) {
  @Override
  public String toString() {
    return file.getFileName() + ":" + line + ": " + message;
  }
}
