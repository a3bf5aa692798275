package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstate.lockcheck.config.ProjectConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Error Prone model: every fixture under {@code src/test/resources/fixtures} marks each line that
 * must be flagged with {@code // BUG: <rule id>} (or {@code // SUPPRESSED: <rule id>} for a finding
 * silenced by {@code @SuppressWarnings}). A finding on an unmarked line fails, and so does a marker
 * without a finding. A fixture is one file, or a directory (in any group, e.g. {@code project/}) checked
 * as a whole.
 * A first line {@code // lockcheck-options: --immediate-caller NAME --release N ...} configures the
 * checker, and so does a {@code lockcheck.yaml} at the root of a {@code project/} fixture. A line may
 * carry several markers ({@code // BUG: a // BUG: b}) when two rules flag it.
 */
class FixtureTest {

  static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  private static final Pattern MARKER = Pattern.compile("//\\s*(BUG|SUPPRESSED):\\s*([a-z-]+)");

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException {
    List<Path> cases = new ArrayList<>();
    try (Stream<Path> s = Files.list(FIXTURES)) {
      for (Path group : s.sorted().toList()) {
        try (Stream<Path> inner = Files.list(group)) {
          for (Path p : inner.sorted().toList()) {
            if (Files.isDirectory(p) || (!group.getFileName().toString().equals("project") && p.toString().endsWith(".java"))) {
              cases.add(p);
            }
          }
        }
      }
    }
    assertTrue(cases.size() >= 20, "fixtures found: " + cases);
    return cases.stream().map(p -> DynamicTest.dynamicTest(FIXTURES.relativize(p).toString(), () -> check(p)));
  }

  static void check(Path fixture) throws IOException {
    check(fixture, List.of());
  }

  /** Checks a fixture with {@code classpath} given to lockcheck as {@code --classpath} does. */
  static void check(Path fixture, List<Path> classpath) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(fixture)) {
      files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    TreeSet<String> expected = new TreeSet<>();
    List<String> immediateCallers = new ArrayList<>();
    int release = 0;
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = MARKER.matcher(lines.get(i));
        while (m.find()) {
          expected.add(key(f, i + 1, m.group(2), m.group(1).equals("SUPPRESSED")));
        }
      }
      if (!lines.isEmpty() && lines.get(0).startsWith("// lockcheck-options:")) {
        String[] words = lines.get(0).substring("// lockcheck-options:".length()).trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i += 2) {
          if (words[i].equals("--immediate-caller")) {
            immediateCallers.add(words[i + 1]);
          } else if (words[i].equals("--release")) {
            release = Integer.parseInt(words[i + 1]);
          }
        }
      }
    }
    Lockcheck checker = Lockcheck.withDefaults().withClasspath(classpath);
    Path config = fixture.resolve(ProjectConfig.FILE_NAME);
    if (Files.isDirectory(fixture) && Files.exists(config)) {
      checker = ProjectConfig.read(config).applyTo(checker);
    }
    if (release != 0) {
      checker = checker.withRelease(release);
    }
    CheckResult r = checker.withCatalogue(List.of(), immediateCallers).check(List.of(fixture));
    if (!r.problems().isEmpty()) {
      fail("fixture could not be analysed: " + r.problems());
    }
    TreeSet<String> actual = new TreeSet<>();
    StringBuilder details = new StringBuilder();
    for (Finding f : r.findings()) {
      String k = key(f.file(), f.line(), f.ruleId(), f.suppressed());
      actual.add(k);
      details.append("\n  ").append(k).append(": ").append(f.message());
    }
    TreeSet<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    TreeSet<String> unexpected = new TreeSet<>(actual);
    unexpected.removeAll(expected);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      fail("marked but not found: " + missing + "\nfound but not marked: " + unexpected + "\nall findings:" + details);
    }
  }

  private static String key(Path file, int line, String rule, boolean suppressed) {
    return file.getFileName() + ":" + line + " " + (suppressed ? "SUPPRESSED " : "") + rule;
  }
}
