package dev.sharedstate.learn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./learn server} stopped by SIGTERM (an IDE's stop button, {@code kill}) must stop the server it
 * started, not leave it running with the port held. Runs learn in a child JVM, with a stand-in {@code
 * exercises/server} script that starts the real server without building anything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerSignalTest {

  @Test
  @DisplayName("SIGTERM to ./learn server stops the server too and frees its port")
  void sigtermStopsTheServer(@TempDir Path tmp) throws Exception {
    var fx = new Fixture(tmp);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Path script = fx.root.resolve("exercises/server");
    Files.writeString(script, "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + cp
        + "' dev.sharedstate.exercises.ServerMain \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port;
    try (var probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    var pb = new ProcessBuilder(java, "-cp", cp, Main.class.getName(), "server", "--reference", "--port",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("LEARN_ROOT", fx.root.toString());
    Process learn = pb.start();
    List<ProcessHandle> server = List.of();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (!accepts(port)) {
        assertTrue(learn.isAlive(), "learn server exited before the server listened");
        assertTrue(System.nanoTime() < deadline, "the server did not listen on " + port);
        Thread.sleep(100);
      }
      server = learn.descendants().toList();
      assertFalse(server.isEmpty(), "learn should have started the server as its child");

      learn.destroy(); // SIGTERM
      assertTrue(learn.waitFor(15, TimeUnit.SECONDS), "learn did not exit on SIGTERM");
      for (ProcessHandle p : server) {
        p.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(p.isAlive(), "the server (pid " + p.pid() + ") outlived learn");
      }
      assertFalse(accepts(port), "the port is still held after learn was stopped");
    } finally {
      learn.destroyForcibly();
      server.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean accepts(int port) {
    try (var s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
