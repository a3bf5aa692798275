package dev.sharedstate.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every subcommand, driven through {@link Learn#run} with string streams over a fixture checkout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LearnCommandsTest {
  @TempDir Path tmp;
  Fixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new Fixture(tmp);
  }

  @Test
  void welcomeShowsProgressAndTheOneNextStep() {
    var r = fx.run();
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains("chapters read     [--------------------] 0/2"), r.out());
    assertTrue(r.out().contains("exercises passed  [--------------------] 0/2  (0 failing, 2 not started)"), r.out());
    assertTrue(r.out().contains("Next: read chapter 1 (the problem):  ./learn read 1"), r.out());
    fx.run("read", "1");
    var after = fx.run();
    assertTrue(after.out().contains("0/2") && after.out().contains("1/2"), after.out());
    assertTrue(after.out().contains("Next: solve ex01-share-the-map: edit exercises/ex01-share-the-map/src/main/java/"
        + "dev/sharedstate/exercises/ex01/Counter.java"), after.out());
  }

  @Test
  void listShowsChaptersAndExercisesWithStatus() {
    fx.run("read", "7");
    fx.run("verify", "ex02");
    var r = fx.run("list");
    assertEquals(0, r.rc());
    // chapters by their titles (the first heading, its "N." left out), not their file names
    assertTrue(r.out().contains("    1  The problem\n"), r.out());
    assertTrue(r.out().contains("  ✓ 7  A lock across a blocking call\n"), r.out());
    assertTrue(r.out().contains("not started  ex01-share-the-map"), r.out());
    assertTrue(r.out().contains("failed       ex02-lock-never-escapes"), r.out());
  }

  @Test
  void readRendersPlainWithoutHiddenLinesAndShowsLinks() {
    var r = fx.run("read", "01-the-problem");
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().startsWith("\nTHE PROBLEM\n"), r.out());
    assertFalse(r.out().contains("/* hidden */") || r.out().contains("import java.util"), r.out());
    assertTrue(r.out().contains("    var map = new HashMap<String, Integer>();"), r.out());
    assertTrue(r.out().contains("the JLS") && r.out().contains("(https://docs.oracle.com/javase/specs/jls/se21/html/jls-17.html)"), r.out());
    assertTrue(r.out().contains("_one_") && r.out().contains("*no*") && r.out().contains("• second point with `code`"), r.out());
    assertFalse(r.out().contains("\u001b["), "plain when not interactive");
  }

  @Test
  void readHighlightsCodeInATerminal() {
    var out = new dev.sharedstate.learn.chapters.TerminalMarkdown(true, 80).render("# T\n\n```java\nint x = \"s\".length();\n```\n");
    assertTrue(out.contains("\u001b[35;1mint\u001b[0m"), out);
    assertTrue(out.contains("\u001b[32m\"s\"\u001b[0m"), out);
  }

  @Test
  void unknownNamesGiveOneLineListingValidNames() {
    var r = fx.run("read", "99");
    assertEquals(2, r.rc());
    assertEquals("learn: no chapter '99'; valid: 1 (01-the-problem.md), 7 (07-lock-across-a-blocking-call.md)\n", r.err());
    var e = fx.run("hint", "ex09");
    assertEquals(2, e.rc());
    assertEquals("learn: no exercise 'ex09'; valid: ex01-share-the-map, ex02-lock-never-escapes\n", e.err());
  }

  @Test
  void verifyGradesNotStartedFailingPassingAndCompileErrors() throws Exception {
    var r = fx.run("verify", "ex01");
    assertEquals(1, r.rc());
    assertTrue(r.out().startsWith("· not started  ex01-share-the-map"), r.out());
    var f = fx.run("verify", "2");
    assertTrue(f.out().startsWith("✗ failed  ex02-lock-never-escapes  (1/2 tests pass)"), f.out());
    assertTrue(f.out().contains("returnsTheValue(): expected: <41> but was: <42>"), f.out());
    fx.solve("ex01-share-the-map", "Counter");
    var p = fx.run("verify", "share-the-map");
    assertEquals("✓ passed  ex01-share-the-map  (2 tests)\n", p.out());
    Files.writeString(fx.starter("ex01-share-the-map", "Counter"), "package dev.sharedstate.exercises.ex01;\nclass Counter {\n  int x = ;\n}\n");
    var c = fx.run("verify", "ex01");
    assertTrue(c.out().startsWith("✗ does not compile  ex01-share-the-map"), c.out());
    assertTrue(c.out().contains("\n    exercises/ex01-share-the-map/src/main/java/dev/sharedstate/exercises/ex01/Counter.java:3: "
        + "illegal start of expression"), c.out());
    var all = fx.run("verify");
    assertEquals(1, all.rc());
    assertEquals(2, all.out().lines().filter(l -> l.matches("[✓✗·] .*")).count(), all.out());
  }

  @Test
  void aDeadlockIsStoppedWithinTheTimeoutShowingTheStuckStacks() throws Exception {
    var dir = fx.root.resolve("exercises/ex03-no-lost-updates");
    var pkg = "dev/sharedstate/exercises/ex03/";
    Files.createDirectories(dir.resolve("src/main/java/" + pkg));
    Files.createDirectories(dir.resolve("src/test/java/" + pkg));
    Files.writeString(dir.resolve("src/main/java/" + pkg + "Transfer.java"), """
        package dev.sharedstate.exercises.ex03;
        public final class Transfer {
          static void both(Object first, Object second, java.util.concurrent.CountDownLatch ready) throws Exception {
            synchronized (first) {
              ready.countDown();
              ready.await();
              synchronized (second) { }
            }
          }
        }
        """);
    Files.writeString(dir.resolve("src/test/java/" + pkg + "TransferTest.java"), """
        package dev.sharedstate.exercises.ex03;
        class TransferTest {
          @org.junit.jupiter.api.Test
          void opposite() throws Exception {
            Object a = new Object(), b = new Object();
            var ready = new java.util.concurrent.CountDownLatch(2);
            var t = new Thread(() -> { try { Transfer.both(b, a, ready); } catch (Exception e) { } }, "other-transfer");
            t.setDaemon(true);
            t.start();
            Transfer.both(a, b, ready);
          }
        }
        """);
    var ws = Workspace.at(fx.root);
    var quick = new Workspace(ws.root(), ws.chapters(), ws.exercises(),
        new dev.sharedstate.learn.exercises.JUnitGrader(System.getProperty("java.class.path"), Duration.ofSeconds(2)));
    long t0 = System.nanoTime();
    var r = fx.run(quick, false, "", "verify", "ex03");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
    assertEquals(1, r.rc());
    assertTrue(r.out().startsWith("✗ timed out  ex03-no-lost-updates  (stopped after 2 s"), r.out());
    assertTrue(r.out().contains("\"other-transfer\" BLOCKED"), r.out());
    assertTrue(r.out().contains("at dev.sharedstate.exercises.ex03.Transfer.both(Transfer.java:"), r.out());
  }

  @Test
  void hintsAreProgressiveThenSayThereAreNoMore() {
    var h1 = fx.run("hint", "ex01");
    assertTrue(h1.out().startsWith("Hint 1/2 for ex01-share-the-map:\nA `ConcurrentHashMap` is one handle"), h1.out());
    var h2 = fx.run("hint", "ex01");
    assertTrue(h2.out().startsWith("Hint 2/2 for ex01-share-the-map:\n`merge(key, 1, Integer::sum)` is atomic."), h2.out());
    var h3 = fx.run("hint", "ex01");
    assertTrue(h3.out().startsWith("No more hints for ex01-share-the-map (all 2 shown)"), h3.out());
    var s = fx.run("hint", "ex02");
    assertTrue(s.out().contains("Where is the lock held?:\nLook at the `synchronized` block."), s.out());
  }

  @Test
  void solutionOnlyAfterPassingOrGivingUp() throws Exception {
    var hidden = fx.run("solution", "ex02");
    assertEquals(1, hidden.rc());
    assertTrue(hidden.err().contains("does not pass yet"), hidden.err());
    assertEquals("", hidden.out());
    var given = fx.run("solution", "ex02", "--give-up");
    assertEquals(0, given.rc());
    assertTrue(given.out().contains("    return value.join();"), given.out());
    fx.solve("ex01-share-the-map", "Counter");
    var earned = fx.run("solution", "ex01");
    assertEquals(0, earned.rc(), earned.err());
    assertTrue(earned.out().contains("counts.merge(word, 1, Integer::sum);"), earned.out());
  }

  @Test
  void resetRestoresTheStarterAfterConfirmationAndKeepsABackup() throws Exception {
    var starter = fx.starter("ex01-share-the-map", "Counter");
    var original = Files.readString(starter);
    fx.solve("ex01-share-the-map", "Counter");
    var mine = Files.readString(starter);
    var refused = fx.run("reset", "ex01");
    assertEquals(2, refused.rc());
    assertTrue(refused.err().contains("add --yes"), refused.err());
    var declined = fx.run(true, "n\n", "reset", "ex01");
    assertTrue(declined.out().contains("Nothing changed."));
    assertEquals(mine, Files.readString(starter));
    var done = fx.run(true, "y\n", "reset", "ex01");
    assertEquals(0, done.rc(), done.err());
    assertEquals(original, Files.readString(starter));
    try (var backups = Files.walk(fx.root.resolve(".learn/backup"))) {
      assertTrue(backups.filter(p -> p.endsWith("Counter.java")).anyMatch(p -> {
        try {
          return Files.readString(p).equals(mine);
        } catch (java.io.IOException e) {
          return false;
        }
      }));
    }
    Files.delete(fx.starter("ex02-lock-never-escapes", "Cache"));
    var all = fx.run("reset", "--all", "--yes");
    assertEquals(0, all.rc(), all.err());
    assertTrue(all.out().startsWith("Reset all 2 exercises: 1 file(s) restored"), all.out());
    assertTrue(Files.exists(fx.starter("ex02-lock-never-escapes", "Cache")));
    assertEquals(2, fx.run("reset").rc());
  }

  @Test
  void checkExplainsEachFindingWithItsChapterSection() {
    var r = fx.run("check");
    assertEquals(1, r.rc(), r.out() + r.err());
    assertTrue(r.out().contains("exercises/ex02-lock-never-escapes/src/main/java/dev/sharedstate/exercises/ex02/Cache.java:13:"), r.out());
    assertTrue(r.out().contains("[lock-held-across-blocking-call]"), r.out());
    assertTrue(r.out().contains("learn more: chapter 7, section \"Why blocking under a lock hurts\":  ./learn read 7"), r.out());
    assertTrue(r.out().contains("1 finding(s)"), r.out());
    var clean = fx.run("check", "exercises/ex02-lock-never-escapes/reference");
    assertEquals(0, clean.rc(), clean.out());
    assertEquals(2, fx.run("check", "nowhere").rc());
  }

  @Test
  void runShowsEachSnippetWithItsOutputOrError() {
    var r = fx.run("run", "7");
    assertEquals(1, r.rc());
    assertTrue(r.out().contains("── snippet 1/2  07-lock-across-a-blocking-call.md:7\n  int x = 6 * 7;\n  System.out.println(x);\n  → 42"), r.out());
    assertTrue(r.out().contains("does not compile") && r.out().contains("cannot find symbol"), r.out());
    var ok = fx.run("run", "1");
    assertEquals(0, ok.rc(), ok.out());
    assertTrue(ok.out().contains("→ size 1"), ok.out());
    assertFalse(ok.out().contains("/* hidden */"), ok.out());
  }

  @Test
  void jshellAndServerNeverWaitWhenNotInteractive() {
    var j = fx.run("jshell", "1");
    assertEquals(2, j.rc());
    assertTrue(j.err().startsWith("learn: jshell needs a terminal"), j.err());
    assertEquals(2, fx.run("jshell", "nine").rc());
    var s = fx.run("server");
    assertEquals(2, s.rc());
    assertTrue(s.err().contains("no exercises/server"), s.err());
  }

  @Test
  void watchInPlainModeRegradesOnSaveAndQuitsOnQ() throws Exception {
    var keys = new PipedWriter();
    var in = new BufferedReader(new PipedReader(keys));
    var out = new StringWriter();
    var err = new StringWriter();
    var io = new Io(new PrintWriter(out, true), new PrintWriter(err, true), in, false, 80, 24);
    var rc = new int[] {-1};
    ERR = err;
    var t = new Thread(() -> rc[0] = Learn.run(new String[] {"watch", "--poll-ms", "50"}, Workspace.at(fx.root), io));
    t.start();
    await(out, "not started  ex01-share-the-map");
    fx.solve("ex01-share-the-map", "Counter");
    await(out, "ex01-share-the-map passes! Moving on to ex02-lock-never-escapes.");
    await(out, "failed  ex02-lock-never-escapes");
    keys.write("q\n");
    keys.flush();
    t.join(Duration.ofSeconds(10).toMillis());
    assertFalse(t.isAlive());
    assertEquals(0, rc[0]);
    assertTrue(out.toString().contains("Stopped watching."));
  }

  static StringWriter ERR = new StringWriter();

  static void await(StringWriter out, String text) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!out.toString().contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("never saw '" + text + "' in:\n" + out + "\nerr: " + ERR);
      }
      Thread.sleep(25);
    }
  }
}
