package dev.sharedstate.lockcheck.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The argument list handed to the CLI, and how the options a lockcheck may lack are handled. */
@Timeout(30)
class ArgumentsTest {

  static final Path SARIF = Path.of("target", "lockcheck.sarif");
  static final List<Path> FILES = List.of(Path.of("src", "A.java"));
  static final List<String> NEWER = List.of("--baseline", "--classpath", "--config", "--format", "--no-config",
      "--output", "--release", "--write-baseline");

  private static CheckMojo mojo() {
    CheckMojo m = new CheckMojo();
    m.useProjectClasspath = false;
    return m;
  }

  @Test
  void byDefaultOnlyTheReportAndTheFiles() throws Exception {
    assertEquals(List.of("--format", "sarif", "--output", SARIF.toString(), "--", FILES.get(0).toString()),
        mojo().arguments(List.of(), SARIF, FILES));
  }

  @Test
  void optionsSetAreForwardedToALockcheckThatHasThem() throws Exception {
    CheckMojo m = mojo();
    m.config = new File("lockcheck.json");
    m.baseline = new File("base.json");
    m.writeBaseline = new File("new-base.json");
    m.release = " 21 ";
    List<String> args = m.arguments(NEWER, SARIF, FILES);
    assertEquals(List.of("--format", "sarif", "--output", SARIF.toString(),
        "--config", "lockcheck.json", "--baseline", "base.json", "--write-baseline", "new-base.json",
        "--release", "21", "--", FILES.get(0).toString()), args);
  }

  @Test
  void noConfigIsAFlag() throws Exception {
    CheckMojo m = mojo();
    m.noConfig = true;
    assertEquals(List.of("--format", "sarif", "--output", SARIF.toString(), "--no-config", "--", FILES.get(0).toString()),
        m.arguments(NEWER, SARIF, FILES));
  }

  @Test
  void aReleaseIsLeftOutForALockcheckWithoutTheOption() throws Exception {
    CheckMojo m = mojo();
    m.release = "21";
    m.setLog(new RecordingLog());
    assertEquals(List.of("--format", "sarif", "--output", SARIF.toString(), "--", FILES.get(0).toString()),
        m.arguments(List.of("--format", "--output"), SARIF, FILES));
  }

  @Test
  void aBaselineForALockcheckWithoutTheOptionIsAnErrorNamingTheParameter() {
    CheckMojo m = mojo();
    m.baseline = new File("base.json");
    MojoExecutionException e = assertThrows(MojoExecutionException.class,
        () -> m.arguments(List.of("--format", "--output"), SARIF, FILES));
    assertTrue(e.getMessage().contains("<baseline>") && e.getMessage().contains("--baseline"), e.getMessage());
  }

  @Test
  void theProjectClasspathIsPassedWhereItExists(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    CheckMojo m = mojo();
    m.useProjectClasspath = true;
    m.classpathElements = List.of(dir.toString(), dir.resolve("missing.jar").toString());
    List<String> args = m.arguments(List.of(), SARIF, FILES);
    int i = args.indexOf("--classpath");
    assertEquals(dir.toString(), args.get(i + 1));
  }

  /** Read from the real CLI's --help: the options every lockcheck has are found. */
  @Test
  void supportedOptionsAreReadFromTheCli() throws Exception {
    List<String> options = new Runner.InProcess().supportedOptions();
    assertTrue(options.containsAll(List.of("--format", "--output", "--classpath", "--help", "--config", "--no-config",
        "--baseline", "--write-baseline", "--release")), options.toString());
    assertTrue(options.stream().allMatch(o -> o.matches("--[a-z][a-z0-9-]*")), options.toString());
  }

  @Test
  void argfileTokensSurviveSpacesBackslashesAndQuotes() {
    assertEquals("\"C:\\\\Program Files\\\\a \\\"b\\\".java\"", Runner.Forked.quote("C:\\Program Files\\a \"b\".java"));
  }
}
