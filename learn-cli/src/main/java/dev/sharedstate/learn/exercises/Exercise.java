package dev.sharedstate.learn.exercises;

import java.nio.file.Path;
import java.util.List;

/**
 * One exercise folder {@code exercises/exNN-name/}: where the learner edits ({@code starterRoot}), the
 * reference solution ({@code referenceRoot}, same relative paths), the tests and the README with its hints.
 */
public record Exercise(
    int number, String name, Path dir, Path starterRoot, Path referenceRoot, Path testRoot, Path readme) {

  /** The package of this exercise, {@code dev.sharedstate.exercises.exNN}. */
  public String packageName() {
    return "dev.sharedstate.exercises.ex%02d".formatted(number);
  }

  /** Java files the learner edits, relative to {@link #starterRoot()}. */
  public List<Path> starterFiles() {
    return Sources.javaFiles(starterRoot).stream().map(starterRoot::relativize).toList();
  }
}
