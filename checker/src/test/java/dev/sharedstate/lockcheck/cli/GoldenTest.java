package dev.sharedstate.lockcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text format, kept in golden files (Clippy's UI tests). After an intended change, regenerate
 * them with one command and review the diff: {@code mvn -pl checker -am test -Dtest=GoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dlockcheck.bless=true}.
 */
class GoldenTest {

  static final Path GOLDEN = Path.of("src/test/resources/golden");

  @ParameterizedTest
  @ValueSource(strings = {
    "regions/SynchronizedMethod.java",
    "regions/TryLock.java",
    "regions/StampedLocks.java",
    "blocking/WaitAndAwait.java",
    "lambdas/MethodReferences.java",
    "suppression/Suppressions.java",
    "interprocedural/HelperChains.java",
    "implicit/MapCompute.java",
    "project/helpers"
  })
  void textOutputMatchesTheGoldenFile(String fixture) throws IOException {
    // --release 17: the fixtures sit in a release-21 Maven project, and these goldens show the main rule
    CliRun r = CliRun.of("--no-color", "--release", "17", "src/test/resources/fixtures/" + fixture);
    String actual = "exit code " + r.code() + "\n" + r.out() + (r.err().isEmpty() ? "" : "stderr:\n" + r.err());
    String name = fixture.replace('/', '-');
    Path golden = GOLDEN.resolve(name.endsWith(".java") ? name.replace(".java", ".txt") : name + ".txt");
    if (Boolean.getBoolean("lockcheck.bless")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : "(no golden file " + golden
        + "; run with -Dlockcheck.bless=true)";
    assertEquals(expected, actual, "text output changed; if intended, bless: -Dlockcheck.bless=true");
  }
}
