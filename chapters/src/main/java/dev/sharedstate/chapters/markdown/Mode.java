package dev.sharedstate.chapters.markdown;

import java.util.Optional;

/**
 * What the runner does with a {@code java} code block, as declared by its fence's info string. A
 * closed set: the runner and {@code ./learn} switch over it exhaustively.
 */
public sealed interface Mode {

  /** {@code ```java}: evaluated in the chapter's JShell; must compile and finish without error. */
  record Run() implements Mode {}

  /**
   * {@code ```java compile-only="reason"}: declarations are compiled (and stay defined for later
   * blocks); statements are compiled inside a method that is never called.
   */
  record CompileOnly(String reason) implements Mode {}

  /** {@code ```java skip="reason"}: neither compiled nor run; counted and reported as skipped. */
  record Skip(String reason) implements Mode {}

  /**
   * {@code ```java lockcheck-fail} or {@code ```java lockcheck-fail=<rule-id>}: never executed;
   * its declarations are compiled (javac accepts the bug), and lockcheck must report it.
   */
  record LockcheckFail(Optional<String> ruleId) implements Mode {}

  /** A short word for reports: run, compile-only, skip, lockcheck-fail. */
  default String keyword() {
    return switch (this) {
      case Run r -> "run";
      case CompileOnly c -> "compile-only";
      case Skip s -> "skip";
      case LockcheckFail l -> "lockcheck-fail";
    };
  }
}
