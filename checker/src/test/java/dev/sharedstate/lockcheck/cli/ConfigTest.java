package dev.sharedstate.lockcheck.cli;

import dev.sharedstate.lockcheck.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lockcheck.yaml (discovery, contents, errors), --release and the pom.xml release lookup. */
class ConfigTest {

  static final String WRAPPERS = "src/test/resources/fixtures/project/lockwrappers";

  private static final String SYNC_JOIN = """
      class S {
        java.util.concurrent.CompletableFuture<String> f;
        synchronized String m() { return f.join(); }
        synchronized void w() throws InterruptedException { wait(); }
      }
      """;

  @TempDir
  Path tmp;

  private Path write(String name, String text) throws IOException {
    return TestFiles.write(tmp, name, text);
  }

  private static long count(String out, String rule) {
    return out.lines().filter(l -> l.startsWith("warning[" + rule + "]")).count();
  }

  // ------------------------------------------------------------ the config's contents

  @Test
  void theFixturesConfigIsFoundNextToItsSources() {
    CliRun r = CliRun.of("--release", "25", "--no-color", WRAPPERS);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("lockcheck: 7 findings in 2 files"), r.out());
    assertTrue(r.out().contains("`pass()` blocks (listed as blocking in lockcheck.yaml) while `lock` is held"),
        "a declared method called on the implicit receiver, inside its own class, with the default why: " + r.out());
    assertTrue(r.out().contains("Server.java:20:"), "the AutoLock wrapper: " + r.out());
    assertTrue(r.out().contains("`lock` taken here"), r.out());
    assertTrue(r.out().contains("Server.java:44:"), "the enter/exit pair: " + r.out());
    CliRun without = CliRun.of("--release", "25", "--no-config", WRAPPERS);
    // Jetty's AutoLock is built in (libraries/jetty.json): only the project's own declarations need the config
    assertEquals(1, without.code(), without.out());
    assertTrue(without.out().contains("lockcheck: 2 findings in 1 file"), "the two AutoLock regions only: " + without.out());
    assertTrue(without.out().contains("Server.java:20:") && without.out().contains("Server.java:34:"), without.out());
  }

  @Test
  void configOptionNamesTheFileAndItsPathsAreRelativeToIt() throws IOException {
    Path src = write("src/S.java", SYNC_JOIN);
    write("conf/lockcheck.yaml", "release: 21\nbaseline: accepted.json\n");
    CliRun w = CliRun.of("--config", tmp.resolve("conf/lockcheck.yaml").toString(), "--write-baseline",
        tmp.resolve("conf/accepted.json").toString(), src.toString());
    assertEquals(0, w.code(), w.out() + w.err());
    assertTrue(w.out().contains("wrote 3 findings"), "release 21 from the config: pinning too: " + w.out());
    CliRun r = CliRun.of("--config", tmp.resolve("conf/lockcheck.yaml").toString(), src.toString());
    assertEquals(0, r.code(), "the config's baseline accepts them: " + r.out() + r.err());
    assertTrue(r.out().contains("3 findings matched"), r.out());
  }

  @Test
  void cataloguesListedInTheConfigAreRelativeToIt() throws IOException {
    Path src = write("src/R.java", """
        class R {
          com.example.Rpc rpc;
          synchronized String m() { return rpc.send("x"); }
        }
        """);
    write("src/com/example/Rpc.java", "package com.example; public interface Rpc { String send(String s); }\n");
    write("config/calls.json", "{\"blocking\": [{\"owner\": \"com.example.Rpc\", \"method\": \"send\", \"why\": \"waits for the reply\"}]}");
    write("lockcheck.yaml", "release: 17\ncatalogues:\n  - config/calls.json\n");
    CliRun r = CliRun.of("--no-color", tmp.resolve("src").toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("`rpc.send(\"x\")` blocks (waits for the reply)"), r.out());
    write("lockcheck.yaml", "catalogues:\n  - config/missing.json\n");
    CliRun missing = CliRun.of(tmp.resolve("src").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("missing.json: cannot read catalogue"), missing.err());
  }

  @Test
  void discoveryStopsAtTheRepositoryRoot() throws IOException {
    write("outer/lockcheck.yaml", "this is: [not valid\n");
    Files.createDirectories(tmp.resolve("outer/repo/.git"));
    Path src = write("outer/repo/src/S.java", SYNC_JOIN);
    CliRun r = CliRun.of("--release", "17", src.toString());
    assertEquals(1, r.code(), "the broken config above .git is never read: " + r.err());
    write("outer/repo/lockcheck.yaml", "release: 22\n");
    CliRun found = CliRun.of("--no-color", src.toString());
    assertEquals(1, found.code(), found.err());
    assertEquals(2, count(found.out(), "virtual-thread-pinning"), found.out());
    CliRun overridden = CliRun.of("--release", "24", src.toString());
    assertEquals(0, count(overridden.out(), "virtual-thread-pinning"), "--release wins: " + overridden.out());
  }

  @Test
  void declaredLockNamesPassThePrefilter() throws IOException {
    // no `synchronized` and no built-in lock method name anywhere: only the config makes it a region
    write("src/Gate.java", "class Gate { void enter() {} void exit() {} }\n");
    Path worker = write("src/Worker.java", """
        class Worker {
          Gate gate;
          void m() throws InterruptedException {
            gate.enter();
            try {
              Thread.sleep(5);
            } finally {
              gate.exit();
            }
          }
        }
        """);
    write("lockcheck.yaml", "locks:\n  - lock: Gate#enter\n    unlock: Gate#exit\n");
    CliRun r = CliRun.of("--release", "17", "--no-color", tmp.resolve("src").toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(worker + ":6:"), r.out());
    assertTrue(r.out().contains("`gate` is held"), r.out());
    CliRun full = CliRun.of("--release", "17", "--no-color", "--no-prefilter", tmp.resolve("src").toString());
    assertEquals(r.out(), full.out());
  }

  // ------------------------------------------------------------ bad configs

  @Test
  void anUnknownKeyNamesFileLineAndKey() throws IOException {
    Path cfg = write("lockcheck.yaml", "release: 21\nlockWrapper:\n  - a.B#lock\n");
    Path src = write("S.java", SYNC_JOIN);
    CliRun r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(cfg + ":2:"), r.err());
    assertTrue(r.err().contains("unknown key 'lockWrapper'") && r.err().contains("lockWrappers"), r.err());
    assertEquals("", r.out(), "nothing is checked with a broken config");
  }

  @Test
  void aWrongTypeNamesTheKey() throws IOException {
    Path cfg = write("lockcheck.yaml", "# comment\nrelease: twenty-one\n");
    Path src = write("S.java", SYNC_JOIN);
    CliRun r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(cfg + ":2:") && r.err().contains("release: 'twenty-one' is not a whole number"), r.err());

    write("lockcheck.yaml", "release: 1.8\n");
    r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(":1:10:") && r.err().contains("release:"), r.err());

    write("lockcheck.yaml", "blocking:\n  - owner: a.B\n    method: m\n    releases: everything\n");
    r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(":4:") && r.err().contains("blocking[0].releases")
        && r.err().contains("one of nothing, receiver-monitor"), r.err());

    write("lockcheck.yaml", "locks:\n  - lock: a.B#enter\n");
    r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("locks[0]") && r.err().contains("unlock"), r.err());

    write("lockcheck.yaml", "locks: a.B#enter\n");
    r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(":1:") && r.err().contains("locks"), r.err());

    write("lockcheck.yaml", "lockWrappers: [\n");
    r = CliRun.of(src.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("not valid YAML"), r.err());
  }

  @Test
  void configOptionErrors() throws IOException {
    Path src = write("S.java", SYNC_JOIN);
    CliRun missing = CliRun.of("--config", tmp.resolve("nope.yaml").toString(), src.toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.yaml: config file not found"), missing.err());
    CliRun both = CliRun.of("--config", "x.yaml", "--no-config", src.toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("--config and --no-config"), both.err());
    CliRun badRelease = CliRun.of("--release", "0", src.toString());
    assertEquals(2, badRelease.code());
    assertTrue(badRelease.err().contains("--release 0 is not a Java release"), badRelease.err());
  }

  // ------------------------------------------------------------ --release and the pom

  @Test
  void pinningFollowsTheRelease() throws IOException {
    Path src = write("S.java", SYNC_JOIN);
    for (String release : new String[] {"21", "22", "23"}) {
      CliRun r = CliRun.of("--no-config", "--no-color", "--release", release, src.toString());
      assertEquals(2, count(r.out(), "virtual-thread-pinning"), release + ": " + r.out());
      assertEquals(1, count(r.out(), "lock-held-across-blocking-call"), r.out());
    }
    for (String release : new String[] {"17", "20", "24", "25"}) {
      CliRun r = CliRun.of("--no-config", "--release", release, src.toString());
      assertEquals(0, count(r.out(), "virtual-thread-pinning"), release + ": " + r.out());
      assertEquals(1, count(r.out(), "lock-held-across-blocking-call"), r.out());
    }
  }

  @Test
  void pinningTextNamesTheMonitorJepAndFix() throws IOException {
    Path src = write("S.java", SYNC_JOIN);
    CliRun r = CliRun.of("--no-config", "--no-color", "--release", "21", src.toString());
    assertTrue(r.out().contains("warning[virtual-thread-pinning]: `f.join()` blocks (waits until the future completes) "
        + "inside `synchronized` (the monitor of `this`): on JDK 21-23 this pins a virtual thread"), r.out());
    assertTrue(r.out().contains("warning[virtual-thread-pinning]: `wait()` waits inside `synchronized`"), r.out());
    assertTrue(r.out().contains("help: replace the monitor with a java.util.concurrent.locks.ReentrantLock"), r.out());
    assertTrue(r.out().contains("checker/docs/rules/virtual-thread-pinning.md"), r.out());
  }

  @Test
  void pinningFindingsInSarifAndJson() throws Exception {
    Path src = write("S.java", SYNC_JOIN);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var sarif = json.readTree(CliRun.of("--no-config", "--release", "21", "--format", "sarif", src.toString()).out());
    var run = sarif.get("runs").get(0);
    var rules = run.get("tool").get("driver").get("rules");
    int index = -1;
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).get("id").asText().equals("virtual-thread-pinning")) {
        index = i;
      }
    }
    assertTrue(index >= 0, "the pinning rule is in tool.driver.rules: " + rules);
    assertTrue(rules.get(index).get("help").get("text").asText().contains("ReentrantLock"));
    long pinned = 0;
    for (var r : run.get("results")) {
      if (r.get("ruleId").asText().equals("virtual-thread-pinning")) {
        pinned++;
        assertEquals(index, r.get("ruleIndex").asInt());
        assertTrue(r.get("relatedLocations").size() >= 1, "where the monitor was taken: " + r);
      }
    }
    assertEquals(2, pinned);
    var report = json.readTree(CliRun.of("--no-config", "--release", "21", "--format", "json", src.toString()).out());
    assertEquals(3, report.get("summary").get("findings").asInt());
    assertEquals("checker/docs/rules/virtual-thread-pinning.md", report.get("findings").get(1).get("help").asText());
  }

  @Test
  void theReleaseIsReadFromTheNearestPom() throws IOException {
    Path src = write("app/src/main/java/S.java", SYNC_JOIN);
    write("app/pom.xml", """
        <project>
          <parent><groupId>g</groupId><artifactId>parent</artifactId><version>1</version></parent>
          <artifactId>app</artifactId>
        </project>
        """);
    write("pom.xml", """
        <project>
          <properties><java.version>22</java.version></properties>
          <build><pluginManagement><plugins><plugin>
            <artifactId>maven-compiler-plugin</artifactId>
            <configuration><release>${java.version}</release></configuration>
          </plugin></plugins></pluginManagement></build>
        </project>
        """);
    CliRun r = CliRun.of("--no-config", "--verbose", src.toString());
    assertEquals(2, count(r.out(), "virtual-thread-pinning"), "22 through the parent's plugin config: " + r.out());
    assertTrue(r.err().contains("release 22 (maven-compiler-plugin <release> in " + tmp.resolve("pom.xml")), r.err());

    write("app/pom.xml", "<project><properties><maven.compiler.release>25</maven.compiler.release></properties></project>");
    assertEquals(0, count(CliRun.of("--no-config", src.toString()).out(), "virtual-thread-pinning"));
    write("app/pom.xml", "<project><properties><maven.compiler.source>1.8</maven.compiler.source></properties></project>");
    assertEquals(0, count(CliRun.of("--no-config", src.toString()).out(), "virtual-thread-pinning"));
    write("app/pom.xml", "<project><properties><maven.compiler.target>21</maven.compiler.target></properties></project>");
    assertEquals(2, count(CliRun.of("--no-config", src.toString()).out(), "virtual-thread-pinning"));
    write("app/pom.xml", "<project><broken>");
    CliRun broken = CliRun.of("--no-config", src.toString());
    assertEquals(0, count(broken.out(), "virtual-thread-pinning"), "an unreadable pom: release unknown");
    assertFalse(broken.err().contains("Fatal"), broken.err());
  }

  @Test
  void helpAndRulesKnowThePinningRule() {
    CliRun help = CliRun.of("--help");
    assertTrue(help.out().contains("--release") && help.out().contains("--config") && help.out().contains("--no-config")
        && help.out().contains("--baseline") && help.out().contains("--write-baseline"), help.out());
    assertTrue(help.out().contains("before 21, no virtual threads"), help.out());
    assertTrue(CliRun.of("--list-rules").out().contains("virtual-thread-pinning"));
    CliRun explain = CliRun.of("--explain", "virtual-thread-pinning");
    assertEquals(0, explain.code(), explain.err());
    assertTrue(explain.out().contains("JEP 491") && explain.out().contains("JEP 444"), explain.out());
  }
}
