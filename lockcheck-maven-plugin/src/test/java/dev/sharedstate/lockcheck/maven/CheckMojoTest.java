package dev.sharedstate.lockcheck.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check goal on a small project folder: a lock held across a join fails the build, is logged as
 * {@code file:line:col} and lands in the SARIF report; clean sources pass; the switches do what they
 * say. Runs the real lockcheck, in-process and forked.
 */
@Timeout(60)
class CheckMojoTest {

  static final String BAD = """
      package demo;

      class Worker {
        private final Object lock = new Object();

        void stop(Thread t) throws InterruptedException {
          synchronized (lock) {
            t.join();
          }
        }
      }
      """;
  static final int BAD_LINE = 8;
  static final int BAD_COLUMN = 7;

  static final String CLEAN = """
      package demo;

      class Counter {
        private final Object lock = new Object();
        private int n;

        void add() {
          synchronized (lock) {
            n++;
          }
        }
      }
      """;

  static final String SUPPRESSED = """
      package demo;

      class Quiet {
        @SuppressWarnings("lockcheck")
        synchronized void nap() throws InterruptedException {
          Thread.sleep(10);
        }
      }
      """;

  @TempDir Path project;
  final RecordingLog log = new RecordingLog();

  private CheckMojo mojo(String... files) throws IOException {
    Path src = project.resolve("src/main/java/demo");
    Files.createDirectories(src);
    for (int i = 0; i < files.length; i += 2) {
      Files.writeString(src.resolve(files[i]), files[i + 1]);
    }
    CheckMojo m = new CheckMojo();
    m.setLog(log);
    m.basedir = project.toFile();
    m.sourceRoots = List.of("src/main/java");
    m.failOnFindings = true;
    m.logFindings = true;
    m.sarifFile = project.resolve("target/lockcheck.sarif").toFile();
    m.useProjectClasspath = true;
    return m;
  }

  private JsonNode sarif() throws IOException {
    return new ObjectMapper().readTree(project.resolve("target/lockcheck.sarif").toFile()).path("runs").path(0);
  }

  @Test
  void aFindingFailsTheBuildIsLoggedWithItsLocationAndWrittenToSarif() throws Exception {
    CheckMojo m = mojo("Worker.java", BAD, "Counter.java", CLEAN);
    MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
    assertTrue(e.getMessage().contains("1 finding(s) in 2 file(s) checked"), e.getMessage());
    assertTrue(e.getMessage().contains("lockcheck.sarif"), e.getMessage());

    String expectedAt = project.resolve("src/main/java/demo/Worker.java") + ":" + BAD_LINE + ":" + BAD_COLUMN + ": ";
    List<String> errors = log.at("error");
    assertEquals(1, errors.size(), log.lines.toString());
    assertTrue(errors.get(0).startsWith(expectedAt), errors.get(0));
    assertTrue(errors.get(0).endsWith("[lock-held-across-blocking-call]"), errors.get(0));

    JsonNode results = sarif().path("results");
    assertEquals(1, results.size());
    JsonNode region = results.get(0).path("locations").get(0).path("physicalLocation").path("region");
    assertEquals(BAD_LINE, region.path("startLine").asInt());
    assertEquals("lock-held-across-blocking-call", results.get(0).path("ruleId").asText());
  }

  @Test
  void cleanSourcesPassAndStillGetAReport() throws Exception {
    CheckMojo m = mojo("Counter.java", CLEAN, "Quiet.java", SUPPRESSED);
    m.execute();
    assertEquals(List.of(), log.at("error"));
    assertTrue(log.at("info").stream().anyMatch(l -> l.contains("2 file(s) checked, no findings")), log.lines.toString());
    JsonNode results = sarif().path("results");
    // the suppressed finding is in the report, marked, and does not fail the build
    assertEquals(1, results.size());
    assertEquals("inSource", results.get(0).path("suppressions").get(0).path("kind").asText());
  }

  @Test
  void failOnFindingsFalseWarnsInstead() throws Exception {
    CheckMojo m = mojo("Worker.java", BAD);
    m.failOnFindings = false;
    m.execute();
    assertEquals(1, log.at("error").size());
    assertTrue(log.at("warn").stream().anyMatch(l -> l.contains("1 finding(s)")), log.lines.toString());
  }

  @Test
  void logFindingsFalseKeepsTheLogShortButStillFails() throws Exception {
    CheckMojo m = mojo("Worker.java", BAD);
    m.logFindings = false;
    assertThrows(MojoFailureException.class, m::execute);
    assertEquals(List.of(), log.at("error"));
  }

  @Test
  void skipRunsNothing() throws Exception {
    CheckMojo m = mojo("Worker.java", BAD);
    m.skip = true;
    m.execute();
    assertFalse(Files.exists(project.resolve("target/lockcheck.sarif")));
    assertEquals(List.of("skipped"), log.at("info").stream().map(l -> l.replace("lockcheck: ", "")).toList());
  }

  @Test
  void excludedFilesAreNotChecked() throws Exception {
    CheckMojo m = mojo("Worker.java", BAD, "Counter.java", CLEAN);
    m.excludes = List.of("**/Worker.java");
    m.execute();
    assertTrue(log.at("info").stream().anyMatch(l -> l.contains("1 file(s) checked, no findings")), log.lines.toString());
  }

  @Test
  void anUnparseableFileFailsTheBuildNamingIt() throws Exception {
    CheckMojo m = mojo("Broken.java", "package demo; class Broken { void f() { synchronized (this) { } ");
    MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
    assertTrue(e.getMessage().contains("1 input(s) not analysed"), e.getMessage());
    assertTrue(log.at("error").get(0).startsWith(project.resolve("src/main/java/demo/Broken.java").toString()),
        log.lines.toString());
  }

  @Test
  void noSourcesIsNotAnError() throws Exception {
    CheckMojo m = mojo();
    m.sourceRoots = List.of("src/main/java", "does/not/exist");
    m.execute();
    assertTrue(log.at("info").get(0).contains("nothing to check"), log.lines.toString());
  }

  /** Adopting lockcheck: record today's findings, then only a new one fails the build. */
  @Test
  void aBaselineWrittenByTheGoalLetsOnlyNewFindingsFail() throws Exception {
    CheckMojo first = mojo("Worker.java", BAD);
    File baseline = project.resolve("lockcheck-baseline.json").toFile();
    first.writeBaseline = baseline;
    first.execute();
    assertTrue(baseline.isFile(), log.lines.toString());
    assertTrue(log.at("info").stream().anyMatch(l -> l.contains("wrote 1 finding")), log.lines.toString());

    CheckMojo again = mojo();
    again.baseline = baseline;
    again.execute();
    assertTrue(log.at("info").stream().anyMatch(l -> l.contains("1 finding matched")), log.lines.toString());

    CheckMojo withNew = mojo("Sleeper.java", """
        package demo;

        class Sleeper {
          synchronized void nap() throws InterruptedException {
            Thread.sleep(10);
          }
        }
        """);
    withNew.baseline = baseline;
    MojoFailureException e = assertThrows(MojoFailureException.class, withNew::execute);
    assertTrue(e.getMessage().contains("1 finding(s) in 2 file(s)"), e.getMessage());
    assertTrue(log.at("error").stream().anyMatch(l -> l.contains("Sleeper.java:5:")), log.lines.toString());
  }

  /** The project's own blocking method, declared in its lockcheck.yaml. */
  @Test
  void theConfigFileDeclaresBlockingMethods() throws Exception {
    String gate = """
        package demo;

        class Gate {
          void pass() {}
        }
        """;
    String user = """
        package demo;

        class User {
          private final Object lock = new Object();
          private Gate gate;

          void enter() {
            synchronized (lock) {
              gate.pass();
            }
          }
        }
        """;
    Path config = project.resolve("config/lockcheck.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, """
        blocking:
          - owner: demo.Gate
            method: pass
            why: waits until the gate opens
        """);
    mojo("Gate.java", gate, "User.java", user).execute(); // not blocking without the config

    CheckMojo m = mojo();
    m.config = config.toFile();
    assertThrows(MojoFailureException.class, m::execute);
    assertTrue(log.at("error").stream().anyMatch(l -> l.contains("User.java:9:")), log.lines.toString());
  }

  /** Object.wait() inside synchronized pins a virtual thread on JDK 21 to 23, not from 24 on. */
  @Test
  void theReleaseTurnsPinningFindingsOnAndOff() throws Exception {
    String waiter = """
        package demo;

        class Waiter {
          private boolean ready;

          synchronized void await() throws InterruptedException {
            while (!ready) {
              wait();
            }
          }
        }
        """;
    CheckMojo on25 = mojo("Waiter.java", waiter);
    on25.release = "25";
    on25.execute();

    CheckMojo on21 = mojo();
    on21.release = "21";
    assertThrows(MojoFailureException.class, on21::execute);
    assertTrue(log.at("error").stream().anyMatch(l -> l.contains("Waiter.java:8:") && l.endsWith("[virtual-thread-pinning]")),
        log.lines.toString());
  }

  /** The path Maven takes when its own JVM is older than lockcheck's Java: a forked JDK. */
  @Test
  void forkedRunGivesTheSameVerdictEvenWithSpacesInPaths(@TempDir Path tmp) throws Exception {
    project = tmp.resolve("a project with spaces");
    CheckMojo m = mojo("Worker.java", BAD);
    m.fork = true;
    m.release = "25"; // set: the goal reads the forked CLI's --help first; 25: no pinning finding on top
    m.pluginArtifacts = testClasspathAsArtifacts();
    MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
    assertTrue(e.getMessage().contains("1 finding(s) in 1 file(s) checked"), e.getMessage());
    assertEquals(2, log.at("debug").stream().filter(l -> l.contains(" @")).count(),
        "forked --help, then the check: " + log.lines);
    String at = project.resolve("src/main/java/demo/Worker.java") + ":" + BAD_LINE + ":" + BAD_COLUMN + ": ";
    assertTrue(log.at("error").get(0).startsWith(at), log.lines.toString());
    assertEquals(1, sarif().path("results").size());
  }

  /** What ${plugin.artifacts} holds in a build: the plugin and its runtime dependencies. */
  private static List<Artifact> testClasspathAsArtifacts() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> {
          Artifact a = new DefaultArtifact("test", Path.of(p).getFileName().toString(), "1", "runtime", "jar", null,
              new DefaultArtifactHandler("jar"));
          a.setFile(new File(p));
          return a;
        })
        .toList();
  }
}
