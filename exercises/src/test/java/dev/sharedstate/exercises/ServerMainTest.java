package dev.sharedstate.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** {@code ./exercises/server}'s entry point: its options, and --carriers reaching the JDK in a fresh JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerMainTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) throws Exception {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = ServerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("--carriers takes a count from 1 to 256; anything else is a usage error that says so")
  void carriersIsValidated() throws Exception {
    Run zero = run("ex03", "--carriers", "0");
    assertEquals(2, zero.code());
    assertTrue(zero.err().contains("--carriers: between 1 and 256, got 0"), zero.err());
    Run word = run("ex03", "--carriers", "two");
    assertEquals(2, word.code());
    assertTrue(word.err().contains("bad value for --carriers"), word.err());
    Run help = run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--carriers N"), help.out());
  }

  @Test
  @DisplayName("options without a value, an unknown host and bad values are usage errors that say what to do")
  void badOptionsSayWhatIsWrong() throws Exception {
    Run noPort = run("ex03", "--port");
    assertEquals(2, noPort.code());
    assertTrue(noPort.err().contains("--port needs a value"), noPort.err());
    Run badHost = run("ex03", "--bind", "nosuchhost.invalid");
    assertEquals(2, badHost.code());
    assertTrue(badHost.err().contains("--bind nosuchhost.invalid: no such host"), badHost.err());
    assertTrue(!badHost.err().contains("Exception"), "no stack trace: " + badHost.err());
    Run mode = run("ex03", "--protected-mode", "maybe");
    assertEquals(2, mode.code());
    assertTrue(mode.err().contains("yes or no"), mode.err());
    Run mem = run("ex03", "--maxmemory", "lots");
    assertEquals(2, mem.code());
    assertTrue(mem.err().contains("bad value for --maxmemory"), mem.err());
    assertTrue(run("--help").out().contains("--requirepass"));
  }

  @Test
  @DisplayName("SIGTERM stops the server cleanly and frees its port")
  void sigtermStops() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(), "ex03", "--reference", "--port", "0").redirectErrorStream(true).start();
    try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String banner = lines.readLine();
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(banner));
      assertTrue(m.find(), banner);
      int port = Integer.parseInt(m.group(1));
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
      assertEquals(143, p.exitValue(), "128 + SIGTERM, after the shutdown hook closed the server");
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        throw new AssertionError("port " + port + " still accepts connections");
      } catch (java.io.IOException expected) {
        // closed
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @DisplayName("./exercises/server started in the background by a script (SIGINT inherited ignored) still stops on SIGINT, as redis-server does")
  void sigintStopsABackgroundServer() throws Exception {
    Path script = Files.isExecutable(Path.of("server")) ? Path.of("server") : Path.of("exercises", "server");
    assumeTrue(Files.isExecutable(script), "./exercises/server not found from " + Path.of("").toAbsolutePath());
    assumeTrue(new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0,
        "this env has no --default-signal (GNU coreutils 8.31+)");
    // A non-interactive shell starts a background command with SIGINT ignored, and a JVM keeps an ignored
    // SIGINT ignored: the script must restore it. trap '' INT gives the script the same start.
    var pb = new ProcessBuilder("bash", "-c", "trap '' INT; exec \"$0\" ex03 --reference --port 0",
        script.toAbsolutePath().toString()).redirectErrorStream(true);
    pb.environment().put("SERVER_CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.start(); // bash, the script and env each exec the next: p's pid becomes the server's
    try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String banner = lines.readLine();
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(banner));
      assertTrue(m.find(), banner);
      int port = Integer.parseInt(m.group(1));
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the server ignored SIGINT");
      assertEquals(130, p.exitValue(), "128 + SIGINT, after the shutdown hook closed the server");
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        throw new AssertionError("port " + port + " still accepts connections");
      } catch (java.io.IOException expected) {
        // closed
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  @DisplayName("a server started with --carriers 1 says so and serves a real client")
  void oneCarrierServes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(), "ex03", "--reference", "--port", "0", "--carriers", "1")
        .redirectErrorStream(true).start();
    try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String banner = lines.readLine();
      assertTrue(banner != null && banner.contains("virtual threads on 1 carrier thread;"), String.valueOf(banner));
      Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(banner);
      assertTrue(m.find(), banner);
      try (Jedis jedis = new Jedis("127.0.0.1", Integer.parseInt(m.group(1)))) {
        assertEquals("PONG", jedis.ping());
        assertEquals("OK", jedis.set("k", "v"));
        assertEquals("v", jedis.get("k"));
      }
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
