package dev.sharedstate.lockcheck;

import java.nio.file.Path;
import java.util.List;

/**
 * The embedding API of lockcheck: what the CLI, the chapters' snippet runner, the exercises' CI gate
 * and the Maven plugin call. Never throws on bad input; unreadable or unparseable inputs come back as
 * {@link InputProblem}s beside the findings of everything that could be analysed.
 */
public final class Lockcheck {

  private Lockcheck() {}

  /** A checker with the built-in catalogue of blocking calls and lock kinds, and no project config. */
  public static Lockcheck withDefaults() {
    return new Lockcheck();
  }

  /** Checks Java source text as if it were the file {@code fileName} (used in locations). */
  public CheckResult checkSource(String fileName, String source) {
    throw new UnsupportedOperationException("the lockcheck engine lands with issue 2");
  }

  /** Checks files and directories (recursively, every {@code *.java}). */
  public CheckResult check(List<Path> paths) {
    throw new UnsupportedOperationException("the lockcheck engine lands with issue 2");
  }
}
