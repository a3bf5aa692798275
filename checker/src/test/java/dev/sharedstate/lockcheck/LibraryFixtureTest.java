package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The library units of the catalogue, on the fixtures under {@code fixtures/libraries/<library>/}
 * (marked as {@link FixtureTest} reads them): each fixture is checked twice, from the source alone
 * (the library's types known only by the names the code imports) and with the libraries' jars given
 * as {@code --classpath} (as the Maven plugin gives a project's dependencies). Both must report
 * exactly the marked lines: knowing the real types must never make lockcheck see less.
 */
class LibraryFixtureTest {

  private static final Path LIBRARIES = FixtureTest.FIXTURES.resolve("libraries");

  /** The library jars of this test's class path (the catalogue's test-scoped dependencies and theirs). */
  static List<Path> libraryJars() {
    List<Path> jars = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        jars.add(Path.of(e));
      }
    }
    return jars;
  }

  @TestFactory
  Stream<DynamicTest> eachLibraryFromTheSourceAloneAndWithItsJars() throws IOException {
    List<Path> fixtures;
    try (Stream<Path> s = Files.list(LIBRARIES)) {
      fixtures = s.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(fixtures.size() >= 13, "library fixtures: " + fixtures);
    List<Path> jars = libraryJars();
    return fixtures.stream().flatMap(f -> Stream.of(
        DynamicTest.dynamicTest(f.getFileName() + " (source alone)", () -> FixtureTest.check(f)),
        DynamicTest.dynamicTest(f.getFileName() + " (jars on --classpath)", () -> FixtureTest.check(f, jars))));
  }

  @Test
  void theJarsAreReallyThere() {
    List<String> names = libraryJars().stream().map(p -> p.getFileName().toString()).toList();
    for (String artifact : List.of("jetty-util-", "guava-", "netty-transport-", "reactor-core-", "rxjava-", "okhttp-",
        "httpclient5-", "jedis-", "lettuce-core-", "spring-jdbc-", "spring-web-", "grpc-stub-", "kafka-clients-", "zookeeper-")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(artifact)), artifact + " on the test class path: " + names);
    }
  }

  /**
   * The project's own classes on the class path (the Maven plugin passes target/classes) never hide
   * their sources: a call into a helper that blocks is followed into the source either way.
   */
  @Test
  void theProjectsOwnClassesOnTheClassPathDoNotHideItsSources(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src/p"));
    Files.writeString(src.resolve("Helper.java"), """
        package p;
        public class Helper {
          public void pause() throws InterruptedException {
            Thread.sleep(10);
          }
        }
        """);
    Files.writeString(src.resolve("Caller.java"), """
        package p;
        class Caller {
          private final Helper helper = new Helper();
          synchronized void run() throws InterruptedException {
            helper.pause();
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        src.resolve("Helper.java").toString(), src.resolve("Caller.java").toString());
    assertEquals(0, rc, "javac");
    CheckResult alone = Lockcheck.withDefaults().check(List.of(tmp.resolve("src")));
    CheckResult withClasses = Lockcheck.withDefaults().withClasspath(List.of(classes)).check(List.of(tmp.resolve("src")));
    assertEquals(1, alone.findings().size(), alone.findings().toString());
    assertEquals(alone.findings().size(), withClasses.findings().size(), "with the project's classes: " + withClasses.findings());
  }

  /** The bug this fixes: with jetty-util on the class path, AutoLock was a known class with no unlock(). */
  @Test
  void autoLockIsALockWithJettysJarOnTheClassPath() throws IOException {
    Path jetty = LIBRARIES.resolve("jetty");
    List<Path> jettyOnly = libraryJars().stream().filter(p -> p.getFileName().toString().startsWith("jetty-util-")).toList();
    assertEquals(1, jettyOnly.size(), jettyOnly.toString());
    CheckResult withJar = Lockcheck.withDefaults().withClasspath(jettyOnly).check(List.of(jetty));
    CheckResult alone = Lockcheck.withDefaults().check(List.of(jetty));
    assertEquals(alone.findings().size(), withJar.findings().size(), "the same findings with and without the jar");
    assertTrue(withJar.findings().stream().anyMatch(f -> f.message().contains("future.join()") && f.message().contains("_lock")),
        "the AutoLock region: " + withJar.findings());
  }
}
