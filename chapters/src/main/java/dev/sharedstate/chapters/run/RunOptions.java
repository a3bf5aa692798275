package dev.sharedstate.chapters.run;

import java.time.Duration;
import java.util.List;

/**
 * How snippets are run.
 *
 * @param defaultTimeout each snippet's time limit unless its block says {@code timeout=}
 * @param classPath extra class path entries for the snippets (e.g. the exercises' classes)
 * @param remoteVmOptions options of the JVM that JShell launches to execute the snippets
 * @param compilerOptions javac options for the snippets (none by default; {@code --release 21}
 *     checks the chapters against the JDK 21 API on a newer JDK, at about three times the cost
 *     of each snippet)
 * @param parallelism how many chapters run side by side (each in its own JShell)
 * @param bless rewrite mismatching output fences that hold no wildcard with the actual output,
 *     instead of failing (how lockcheck's report in chapter 7 is regenerated)
 */
public record RunOptions(
    Duration defaultTimeout,
    List<String> classPath,
    List<String> remoteVmOptions,
    List<String> compilerOptions,
    int parallelism,
    boolean bless) {

  public RunOptions {
    classPath = List.copyOf(classPath);
    remoteVmOptions = List.copyOf(remoteVmOptions);
    compilerOptions = List.copyOf(compilerOptions);
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
  }

  /** Five seconds a snippet, the running JDK's API, two or three chapters at a time. */
  public static RunOptions defaults() {
    return new RunOptions(
        Duration.ofSeconds(5),
        List.of(),
        List.of("-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", "-XX:+UseSerialGC"),
        List.of(),
        Math.max(2, Math.min(3, Runtime.getRuntime().availableProcessors())),
        false);
  }

  public RunOptions withDefaultTimeout(Duration timeout) {
    return new RunOptions(timeout, classPath, remoteVmOptions, compilerOptions, parallelism, bless);
  }

  public RunOptions withClassPath(List<String> entries) {
    return new RunOptions(defaultTimeout, entries, remoteVmOptions, compilerOptions, parallelism, bless);
  }

  public RunOptions withCompilerOptions(List<String> options) {
    return new RunOptions(defaultTimeout, classPath, remoteVmOptions, options, parallelism, bless);
  }

  public RunOptions withBless(boolean on) {
    return new RunOptions(defaultTimeout, classPath, remoteVmOptions, compilerOptions, parallelism, on);
  }

  public RunOptions withParallelism(int n) {
    return new RunOptions(defaultTimeout, classPath, remoteVmOptions, compilerOptions, n, bless);
  }
}
