package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 3: a server started with a low open-files limit ({@code ulimit -n 64}) and flooded
 * with connections neither spins nor breaks: it lowers maxclients to fit (as Redis does), refuses the
 * excess with an error, does not burn CPU, and once the flood is over serves SET and inline commands,
 * whose classes it had not needed before the flood.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LowFileDescriptorsTest {

  @Test
  @DisplayName("with ulimit -n 64, a flood of 150 connections is refused cleanly and the server works after it")
  void floodUnderLowLimit() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Only the server's own classes on the class path: each jar of the test's class path would hold a
    // descriptor of the 64.
    String classes = Path.of(KvServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    String cmd = "ulimit -n 64 && exec '" + java + "' -cp '" + classes
        + "' dev.sharedstate.exercises.ServerMain ex03 --reference --port 0";
    Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
    var flood = new ArrayList<Socket>();
    var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      int port = -1;
      var output = new StringBuilder();
      for (String line; port < 0 && (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        var m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(line);
        if (m.find()) port = Integer.parseInt(m.group(1));
      }
      assertTrue(port > 0, "the server did not start:\n" + output);
      Thread.ofVirtual().start(() -> lines.lines().forEach(System.out::println)); // keep draining its output

      try (var c = new RespClient(port)) {
        assertEquals("+PONG\r\n", c.call("PING")); // the only command used before the flood
      }
      for (int i = 0; i < 150; i++) {
        try {
          var s = new Socket("127.0.0.1", port);
          s.setSoTimeout(3_000);
          flood.add(s);
        } catch (IOException e) {
          break; // the kernel's backlog is full: enough
        }
      }
      long cpuBefore = cpuNanos(p);
      Thread.sleep(1_000);
      long cpuUsed = cpuNanos(p) - cpuBefore;
      assertTrue(cpuUsed < 300_000_000L, "the server used " + cpuUsed / 1_000_000 + " ms of CPU in 1 s while idle: spinning");
      for (Socket s : flood) s.close();
      flood.clear();

      // The flood is over: commands whose classes were not loaded before it must work.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String set = null;
      // Each attempt has its own key: an attempt cut off after its SET (a connection the server had
      // to drop while descriptors were short) must not make the next attempt's SET NX fail.
      for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
        String key = "k" + attempt;
        try (var c = new RespClient(port)) {
          set = c.call("SET", key, "v", "EX", "100", "NX");
          if (set.startsWith("-ERR max number of clients")) {
            Thread.sleep(100);
            continue;
          }
          assertEquals("+OK\r\n", set);
          c.send(("GET " + key + "\r\n").getBytes(StandardCharsets.US_ASCII)); // inline
          assertEquals("$1\r\nv\r\n", c.readReply());
          assertEquals("*1\r\n$" + key.length() + "\r\n" + key + "\r\n", c.call("KEYS", key));
          return;
        } catch (IOException e) {
          System.out.println("attempt " + attempt + " after the flood failed: " + e); // shown with the report
          Thread.sleep(100);
        }
      }
      throw new AssertionError("the server did not recover after the flood; last reply: " + set);
    } finally {
      for (Socket s : flood) s.close();
      p.destroy(); // first: the thread draining its output holds the reader until the process ends
      p.waitFor(10, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private static long cpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
