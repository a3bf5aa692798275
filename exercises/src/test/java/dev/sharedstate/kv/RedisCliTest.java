package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sharedstate.exercises.ex01.reference.ShareTheMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives the real {@code redis-cli} against the ex01 reference server (skipped if redis-cli is absent). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisCliTest {
  private static boolean hasRedisCli() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-cli"))) return true;
    }
    return false;
  }

  private static String cli(int port, String... args) throws IOException, InterruptedException {
    var cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS), "redis-cli did not finish");
    return out;
  }

  @Test
  @DisplayName("redis-cli SET k v from one process, then GET k from a second one, returns v (ex01 solved)")
  void setThenGetFromTwoProcesses() throws Exception {
    assumeTrue(hasRedisCli(), "redis-cli is not installed (apt-get install redis-tools); skipping the redis-cli test");
    try (KvServer server = ShareTheMap.start(ServerConfig.ephemeral())) {
      int port = server.port();
      assertEquals("PONG", cli(port, "ping"));
      assertEquals("OK", cli(port, "set", "k", "v"));
      assertEquals("v", cli(port, "get", "k"));
      assertEquals("1", cli(port, "incr", "n"));
      assertEquals("1\n\nv", cli(port, "mget", "n", "missing", "k"));
      String err = cli(port, "nosuchcommand");
      assertEquals(true, err.startsWith("ERR unknown command"), "redis-cli showed: " + err);
    }
  }
}
