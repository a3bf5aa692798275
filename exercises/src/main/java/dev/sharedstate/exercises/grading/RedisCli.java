package dev.sharedstate.exercises.grading;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code redis-cli}, for a test that adds it to its Jedis clients where it is installed
 * (Debian: {@code redis-tools}; CI installs it). Where it is not, {@link #run} returns empty and the
 * test relies on Jedis alone: a learner without redis-cli is not failed for it.
 */
public final class RedisCli {
  private RedisCli() {}

  public static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-cli"))) return true;
    }
    return false;
  }

  /** {@code redis-cli -h 127.0.0.1 -p port args...}: what it printed, stripped; empty if it is not installed. */
  public static Optional<String> run(int port, String... args) throws IOException, InterruptedException {
    if (!installed()) return Optional.empty();
    var cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("redis-cli " + String.join(" ", args) + " did not finish within 10 s");
    }
    return Optional.of(out);
  }
}
