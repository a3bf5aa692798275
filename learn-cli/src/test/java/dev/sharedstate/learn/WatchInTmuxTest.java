package dev.sharedstate.learn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code learn watch} in a real terminal (tmux): the learner edits a starter to a passing solution on
 * disk and the screen flips to "passes"; Ctrl-C then leaves a clean shell. Skipped when tmux is missing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WatchInTmuxTest {
  @TempDir Path tmp;
  private final String session = "learn-e2e-" + ProcessHandle.current().pid();
  private boolean started;

  @Test
  void editingTheStarterFlipsTheStatusAndCtrlCLeavesTheTerminalClean() throws Exception {
    assumeTrue(sh("tmux", "-V").ok(), "tmux is not installed: skipping the terminal end-to-end test (apt-get install tmux)");
    var fx = new Fixture(tmp);
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var cp = tmp.resolve("cp.txt");
    Files.writeString(cp, System.getProperty("java.class.path"));
    // The pane is a learner's terminal: CI=true (set by CI runners, inherited by the tmux server) would
    // rightly switch learn to plain non-interactive output, so the script clears it.
    var script = tmp.resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\ntrap 'true' INT\nunset CI\ncd '" + fx.root + "'\nLEARN_TTY=1 LEARN_ROOT='" + fx.root + "' '" + java
        + "' --enable-native-access=ALL-UNNAMED -cp \"$(cat '" + cp + "')\" dev.sharedstate.learn.Main watch\necho WATCH-EXITED-$?\nstty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon\\|-\\?echo' | tr '\\n' ' ' | sed 's/^/TTY: /'; echo\nexec sh\n");
    script.toFile().setExecutable(true);
    started = sh("tmux", "-L", session, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", script.toString()).ok();
    assertTrue(started, "could not start tmux");
    awaitPane("not started  ex01-share-the-map", 30);
    assertTrue(pane().contains("[h] hint  [l] list  [q] quit"), pane());
    sh("tmux", "-L", session, "send-keys", "-t", session, "h");
    awaitPane("Hint 1/2 for ex01-share-the-map", 10);

    long t0 = System.nanoTime();
    fx.solve("ex01-share-the-map", "Counter");
    awaitPane("ex01-share-the-map passes! Moving on to ex02-lock-never-escapes.", 20);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    awaitPane("failed  ex02-lock-never-escapes", 20);
    System.out.println("[learn watch] save -> status flipped on screen in " + ms + " ms (tmux e2e)");

    sh("tmux", "-L", session, "send-keys", "-t", session, "C-c");
    awaitPane("WATCH-EXITED-0", 15);
    Thread.sleep(300);
    var after = pane();
    assertTrue(after.contains("TTY: icanon echo"), "terminal left in raw mode:\n" + after);
    assertFalse(after.contains("Exception in thread") || after.contains("WARNING"), after);
  }

  @AfterEach
  void killSession() throws Exception {
    if (started) {
      sh("tmux", "-L", session, "kill-server");
    }
  }

  private String pane() throws IOException, InterruptedException {
    return sh("tmux", "-L", session, "capture-pane", "-p", "-t", session, "-S", "-60").out();
  }

  private void awaitPane(String text, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() < end) {
      last = pane();
      if (last.contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never saw '" + text + "' on the screen:\n" + last);
  }

  private record Out(boolean ok, String out) {}

  private static Out sh(String... cmd) throws IOException, InterruptedException {
    try {
      var p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
      var out = new String(p.getInputStream().readAllBytes());
      return new Out(p.waitFor() == 0, out);
    } catch (IOException missing) {
      return new Out(false, missing.getMessage());
    }
  }
}
