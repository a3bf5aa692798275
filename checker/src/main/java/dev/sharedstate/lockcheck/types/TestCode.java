package dev.sharedstate.lockcheck.types;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which sources are test code, and which classes are test doubles: what a call in main code does is
 * decided from main code only (issue 12, family 3). A {@code MockTime} that does not sleep says nothing
 * about what {@code time.sleep(..)} does in production, where the only implementation is
 * {@code SystemTime}. The rule page ("Test sources") states this policy for users.
 *
 * <p><b>Test sources, by path.</b> The innermost source-set marker of the file's path decides:
 * <ul>
 *   <li>{@code src/main/...} is main code; {@code src/X/...} is test code when {@code X} is
 *       {@code it} or names a test set: the word "test" or "tests" in it ({@code test},
 *       {@code testFixtures}, {@code integrationTest}, {@code intTest}, {@code e2e-tests}), the
 *       Maven and Gradle conventions;
 *   <li>a directory named like an extracted test jar ({@code *-test-sources}, {@code *-tests},
 *       {@code *-test-fixtures}, Maven's {@code test-jar} and source classifiers) holds test code;
 * </ul>
 * When the path has none of these, a directory named exactly {@code test} or {@code tests} (the Ant
 * and OpenJDK layouts) marks test code; otherwise the file is main code.
 *
 * <p><b>Test doubles in main code, by name.</b> Libraries ship test doubles beside their code (Kafka's
 * {@code MockProducer}, Netty's {@code MockTicker}). A class whose simple name starts with one of
 * xUnit's test-double words ({@code Mock}, {@code Fake}, {@code Stub}, {@code Dummy}, G. Meszaros,
 * <i>xUnit Test Patterns</i>, 2007) followed by an upper-case letter, or ends with {@code ForTesting}
 * or {@code ForTest}, is a test double.
 */
public final class TestCode {

  private static final List<String> DOUBLE_PREFIXES = List.of("Mock", "Fake", "Stub", "Dummy");
  private static final List<String> DOUBLE_SUFFIXES = List.of("ForTesting", "ForTest");
  private static final List<String> TEST_JAR_SUFFIXES = List.of("-test-sources", "-tests", "-test-fixtures",
      "-testfixtures");

  private TestCode() {}

  /** True when the file is test code by its path (see the class comment). */
  public static boolean isTestPath(Path file) {
    List<String> segments = new ArrayList<>();
    Path dir = file.toAbsolutePath().normalize().getParent();
    if (dir == null) {
      return false;
    }
    for (Path p : dir) {
      segments.add(p.toString());
    }
    for (int i = segments.size() - 1; i >= 0; i--) {
      String s = segments.get(i);
      String lower = s.toLowerCase(Locale.ROOT);
      boolean underSrc = i > 0 && segments.get(i - 1).equals("src");
      if (underSrc && s.equals("main")) {
        return false;
      }
      if (underSrc && namesATestSet(s)) {
        return true;
      }
      for (String suffix : TEST_JAR_SUFFIXES) {
        if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
          return true;
        }
      }
    }
    for (String s : segments) {
      if (s.equals("test") || s.equals("tests")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code it}, or a name with the word "test" or "tests" in it: {@code test}, {@code testFixtures},
   * {@code integrationTest}, {@code e2e-tests}; not {@code latest} or {@code contest}.
   */
  static boolean namesATestSet(String dirName) {
    if (dirName.equals("it")) {
      return true;
    }
    for (String word : dirName.split("[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")) {
      String w = word.toLowerCase(Locale.ROOT);
      if (w.equals("test") || w.equals("tests")) {
        return true;
      }
    }
    return false;
  }

  /** True when a class of this simple name is a test double by the naming conventions above. */
  public static boolean isTestDouble(String simpleName) {
    for (String p : DOUBLE_PREFIXES) {
      if (simpleName.length() > p.length() && simpleName.startsWith(p)
          && Character.isUpperCase(simpleName.charAt(p.length()))) {
        return true;
      }
    }
    for (String s : DOUBLE_SUFFIXES) {
      if (simpleName.length() > s.length() && simpleName.endsWith(s)) {
        return true;
      }
    }
    return false;
  }
}
