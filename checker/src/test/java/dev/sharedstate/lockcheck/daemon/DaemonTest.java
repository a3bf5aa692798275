package dev.sharedstate.lockcheck.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.lockcheck.TestFiles;
import dev.sharedstate.lockcheck.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident checker, served in this JVM (its working directory is the module's, as for the other
 * CLI tests) and driven both by a Java client of the protocol and by the launcher's own bash functions
 * ({@code scripts/lockcheck-daemon.sh}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DaemonTest {

  static final String SYNC = "src/test/resources/fixtures/regions/SynchronizedBlock.java";
  static final Path SCRIPT = Path.of("../scripts/lockcheck-daemon.sh").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  private Path state;
  private Daemon daemon;
  private Thread serving;

  @BeforeEach
  void start() throws IOException {
    state = tmp.resolve("dir").resolve("key.state");
    Files.createDirectories(state.getParent());
    daemon = Daemon.start(state, null, Duration.ofMinutes(5));
    daemon.publish();
    serving = Thread.ofPlatform().name("daemon-under-test").start(() -> {
      try {
        daemon.serve();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    try (Socket s = connect()) {
      send(s, Daemon.MAGIC, daemon.token(), "stop");
      s.getInputStream().readAllBytes();
    } catch (IOException alreadyStopped) {
      // a test stopped it
    }
    serving.join(Duration.ofSeconds(20));
  }

  record Answer(String code, String err, String out) {}

  private Socket connect() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), daemon.port());
  }

  private static void send(Socket s, String... fields) throws IOException {
    var out = s.getOutputStream();
    for (String f : fields) {
      out.write(f.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.flush();
  }

  private Answer run(String cwd, String... args) throws IOException {
    List<String> fields = new ArrayList<>(List.of(Daemon.MAGIC, daemon.token(), "run", cwd, "0",
        Integer.toString(args.length)));
    fields.addAll(List.of(args));
    try (Socket s = connect()) {
      send(s, fields.toArray(String[]::new));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != '\n'; ) {
        assertTrue(c >= 0, "the answer ended inside its header: " + header);
        header.write(c);
      }
      String[] h = header.toString(StandardCharsets.US_ASCII).split(" ");
      assertEquals(3, h.length, header.toString());
      assertEquals(Daemon.MAGIC, h[0]);
      byte[] err = in.readNBytes(Integer.parseInt(h[2]));
      byte[] out = in.readAllBytes();
      return new Answer(h[1], new String(err, StandardCharsets.UTF_8), new String(out, StandardCharsets.UTF_8));
    }
  }

  private static Answer inThisJvm(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err), false);
    return new Answer(Integer.toString(code), err.toString(), out.toString());
  }

  private static String here() {
    return Path.of("").toAbsolutePath().toString();
  }

  @Test
  @DisplayName("a run through the daemon answers exactly what a new JVM prints, relative paths included")
  void answersLikeANewJvm() throws IOException {
    for (String[] args : List.of(
        new String[] {"--release", "17", SYNC},
        new String[] {"--format", "json", "--release", "21", SYNC},
        new String[] {"--format", "sarif", SYNC},
        new String[] {"--bogus"},
        new String[] {"no/such/dir"},
        new String[] {})) {
      assertEquals(inThisJvm(args), run(here(), args), String.join(" ", args));
    }
  }

  @Test
  @DisplayName("the daemon writes -o files where the launcher's directory says, not elsewhere")
  void writesOutputFiles() throws IOException {
    Path report = tmp.resolve("out/report.json");
    Answer a = run(here(), "--format", "json", "-o", report.toString(), SYNC);
    assertEquals("1", a.code(), a.err());
    assertTrue(Files.readString(report).contains("\"lock-held-across-blocking-call\""));
  }

  @Test
  @DisplayName("a request without the token gets no answer and runs nothing")
  void dropsStrangers() throws IOException {
    Path report = tmp.resolve("never.json");
    assertEquals(0, answerTo(Daemon.MAGIC, "not-the-token", "run", here(), "0", "3", "-o", report.toString(), SYNC));
    assertEquals(0, answerTo("lockcheck-daemon/0", daemon.token(), "run", here(), "0", "1", SYNC),
        "another protocol is a stranger too");
    assertFalse(Files.exists(report));
  }

  /** How many bytes the daemon answers; it may hang up while the request is still being sent. */
  private int answerTo(String... fields) throws IOException {
    try (Socket s = connect()) {
      try {
        send(s, fields);
        return s.getInputStream().readAllBytes().length;
      } catch (java.net.SocketException hungUp) {
        return 0;
      }
    }
  }

  @Test
  @DisplayName("a run from another directory is sent back to a new JVM (relative paths would mean something else)")
  void retriesOtherDirectories() throws IOException {
    Answer a = run(tmp.toString(), SYNC);
    assertEquals(new Answer("retry", "", ""), a);
  }

  @Test
  @DisplayName("the state file is private and names the port, the token and the process")
  void stateFileIsPrivate() throws IOException {
    String[] parts = Files.readString(state).trim().split(" ");
    assertEquals(List.of(Integer.toString(daemon.port()), daemon.token(), Long.toString(ProcessHandle.current().pid())),
        List.of(parts));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
  }

  @Test
  @DisplayName("a stop request ends the daemon and removes its state file")
  void stops() throws Exception {
    try (Socket s = connect()) {
      send(s, Daemon.MAGIC, daemon.token(), "stop");
      assertTrue(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith(Daemon.MAGIC + " 0 "));
    }
    serving.join(Duration.ofSeconds(20));
    assertFalse(serving.isAlive());
    assertFalse(Files.exists(state));
  }

  @Test
  @DisplayName("after its jar is rebuilt, the daemon sends the next run back to a new JVM and leaves")
  void leavesWhenItsJarChanges() throws Exception {
    Path jar = Files.writeString(tmp.resolve("lockcheck.jar"), "v1");
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
    Path otherState = tmp.resolve("dir/other.state");
    Daemon old = Daemon.start(otherState, jar, Duration.ofMinutes(5));
    old.publish();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        old.serve();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(2_000_000L));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), old.port())) {
      send(s, Daemon.MAGIC, old.token(), "run", here(), "0", "1", SYNC);
      assertEquals(Daemon.MAGIC + " retry 0\n", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
    }
    t.join(Duration.ofSeconds(20));
    assertFalse(t.isAlive(), "the daemon should have left");
    assertFalse(Files.exists(otherState));
  }

  @Test
  @DisplayName("the daemon leaves when another one has taken over its state file")
  void leavesWhenSuperseded() throws Exception {
    assertTrue(daemon.reasonToStop().isEmpty());
    Files.writeString(state, "1 someone-else 1\n");
    assertTrue(daemon.reasonToStop().orElseThrow().contains("no longer names this daemon"));
  }

  // The launcher's side, in bash, against the daemon served above.

  private Answer bash(Map<String, String> env, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "source \"$0\"; " + script, SCRIPT.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("CI");
    pb.environment().remove("LOCKCHECK_DAEMON");
    pb.environment().putAll(env);
    Path out = tmp.resolve("bash.out");
    Path err = tmp.resolve("bash.err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
    return new Answer(Integer.toString(p.exitValue()), Files.readString(err), Files.readString(out));
  }

  @Test
  @DisplayName("the launcher relays standard output, standard error (UTF-8 counted in bytes) and the exit code")
  void launcherRelays() throws Exception {
    // a stale baseline entry is listed on standard error in the JSON format: non-ASCII text there
    Path baseline = TestFiles.write(tmp, "baseline.json", """
        {"lockcheckBaseline": 1, "findings": [{"rule": "lock-held-across-blocking-call", "file": "Größe.java",
          "member": "Größe#wärme()", "code": "zähler.join()", "locks": ["schloß"], "occurrence": 0}]}
        """);
    String[] args = {"--format", "json", "--release", "17", "--baseline", baseline.toString(), SYNC};
    Answer expected = inThisJvm(args);
    assertEquals("1", expected.code());
    assertTrue(expected.err().contains("Größe#wärme()"), expected.err());
    Answer got = bash(Map.of(),
        "daemon_run \"$1\" \"${@:2}\" && exit \"$daemon_rc\"; echo fell back; exit 99",
        prepend(state.toString(), args));
    assertEquals(expected, got);
  }

  @Test
  @DisplayName("the launcher falls back quietly when the state file names a dead daemon, and removes it")
  void launcherFallsBack() throws Exception {
    Path dead = tmp.resolve("dir/dead.state");
    Files.writeString(dead, "1 token 999999999\n");
    Answer got = bash(Map.of(), "daemon_run \"$1\" x; echo \"rc=$?\"", dead.toString());
    assertEquals(new Answer("0", "", "rc=1\n"), got);
    assertFalse(Files.exists(dead));
  }

  @Test
  @DisplayName("the daemon is off in CI, with LOCKCHECK_DAEMON=0, with --no-daemon and for --help; LOCKCHECK_DAEMON=1 wins over CI")
  void launcherPolicy() throws Exception {
    String probe = "daemon_wanted \"$@\" && echo on || echo off";
    assertEquals("on\n", bash(Map.of(), probe, "src").out());
    assertEquals("off\n", bash(Map.of("CI", "true"), probe, "src").out());
    assertEquals("on\n", bash(Map.of("CI", "true", "LOCKCHECK_DAEMON", "1"), probe, "src").out());
    assertEquals("off\n", bash(Map.of("LOCKCHECK_DAEMON", "0"), probe, "src").out());
    assertEquals("off\n", bash(Map.of(), probe, "--no-daemon", "src").out());
    assertEquals("off\n", bash(Map.of(), probe, "--help").out());
  }

  @Test
  @DisplayName("--stop-daemons stops every daemon in the state directory")
  void launcherStopsAll() throws Exception {
    Answer got = bash(Map.of("LOCKCHECK_DAEMON_DIR", state.getParent().toString()), "daemon_stop_all");
    assertEquals(new Answer("0", "", "lockcheck: stopped 1 resident checker\n"), got);
    serving.join(Duration.ofSeconds(20));
    assertFalse(serving.isAlive());
    assertArrayEquals(new String[0], state.getParent().toFile().list((d, n) -> n.endsWith(".state")));
  }

  private static String[] prepend(String first, String... rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }
}
