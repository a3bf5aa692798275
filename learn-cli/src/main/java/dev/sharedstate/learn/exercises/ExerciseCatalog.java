package dev.sharedstate.learn.exercises;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where {@code ./learn} finds exercises, their hints and the pristine starters (for reset). */
public interface ExerciseCatalog {
  /** All exercises, ordered by number. */
  List<Exercise> exercises();

  /** The hints of the exercise's README ({@code ## Hints} section), in the order they should be given. */
  List<String> hints(Exercise exercise) throws IOException;

  /** The pristine starter text of a file relative to the starter root (as shipped, before the learner's edits). */
  Optional<String> pristineStarter(Exercise exercise, java.nio.file.Path relative) throws IOException;

  /** A fingerprint that changes whenever a file of the exercise changes (what {@code watch} polls). */
  default long fingerprint(Exercise e) {
    return Sources.fingerprint(List.of(e.starterRoot(), e.testRoot()));
  }

  /** Resolves {@code 1}, {@code 01}, {@code ex01}, {@code ex01-share-the-map} or {@code share-the-map}. */
  default Optional<Exercise> find(String name) {
    var n = name.strip().replaceFirst("/$", "");
    for (var e : exercises()) {
      var num = "%02d".formatted(e.number());
      if (e.name().equals(n) || n.equals("ex" + num) || e.name().equals("ex" + num + "-" + n)
          || (n.matches("\\d+") && Integer.parseInt(n) == e.number())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
