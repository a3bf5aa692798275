package dev.sharedstate.learn.exercises;

import java.util.List;

/** The outcome of grading one exercise: a closed set, rendered by exhaustive switches. */
public sealed interface Grade {
  /** Every test passed. */
  record Passed(int tests) implements Grade {}

  /** Some tests failed; each failure is "test name: message". */
  record Failed(int passed, int total, List<String> failures) implements Grade {}

  /** The learner has not started (tests aborted, or the starter still throws its TODO). */
  record NotStarted(String why) implements Grade {}

  /** The learner's code does not compile; each diagnostic is "file:line: message". */
  record CompileError(List<String> diagnostics) implements Grade {}

  /** Grading did not finish in time (a deadlock, usually); the stuck threads' stacks. */
  record TimedOut(long seconds, String stacks) implements Grade {}

  /** The short word {@code list} and the progress file use. */
  default String status() {
    return switch (this) {
      case Passed p -> "passed";
      case Failed f -> "failed";
      case NotStarted n -> "not-started";
      case CompileError c -> "failed";
      case TimedOut t -> "failed";
    };
  }
}
