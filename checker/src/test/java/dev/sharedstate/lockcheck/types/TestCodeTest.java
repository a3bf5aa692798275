package dev.sharedstate.lockcheck.types;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestCodeTest {

  private static boolean test(String path) {
    return TestCode.isTestPath(Path.of(path));
  }

  @Test
  void mavenAndGradleSourceSets() {
    assertFalse(test("/repo/clients/src/main/java/org/a/Time.java"));
    assertTrue(test("/repo/clients/src/test/java/org/a/MockTime.java"));
    assertTrue(test("/repo/clients/src/testFixtures/java/org/a/MockTime.java"));
    assertTrue(test("/repo/clients/src/integrationTest/java/org/a/ItCase.java"));
    assertTrue(test("/repo/clients/src/it/java/org/a/ItCase.java"));
    assertTrue(test("/repo/clients/src/e2e-tests/java/org/a/Case.java"));
    assertFalse(test("/repo/clients/src/latest/java/org/a/Case.java"));
    assertFalse(test("/repo/clients/src/jmh/java/org/a/Bench.java"));
  }

  @Test
  void theInnermostSourceSetDecides() {
    // lockcheck's own fixtures live under src/test: their src/main is main code
    assertFalse(test("checker/src/test/resources/fixtures/x/src/main/java/a/A.java"));
    assertTrue(test("checker/src/test/resources/fixtures/x/src/test/java/a/A.java"));
    // a package named test inside main code is main code
    assertFalse(test("/repo/src/main/java/org/example/test/Helper.java"));
  }

  @Test
  void extractedTestJars() {
    assertTrue(test("/work/realcode/src/kafka-clients-4.1.1-test-sources/org/apache/kafka/common/utils/MockTime.java"));
    assertFalse(test("/work/realcode/src/kafka-clients-4.1.1/org/apache/kafka/common/utils/SystemTime.java"));
    assertTrue(test("/tmp/x/lib-1.0-tests/a/B.java"));
    assertTrue(test("/tmp/x/lib-1.0-test-fixtures/a/B.java"));
  }

  @Test
  void antAndOpenJdkLayoutsWithoutASourceSet() {
    assertTrue(test("/jdk/test/jdk/java/util/Foo.java"));
    assertTrue(test("/proj/tests/a/B.java"));
    assertFalse(test("/proj/src/a/B.java"));
    assertFalse(test("/proj/contest/a/B.java"));
  }

  @Test
  void testDoublesByName() {
    assertTrue(TestCode.isTestDouble("MockProducer"));
    assertTrue(TestCode.isTestDouble("MockTicker"));
    assertTrue(TestCode.isTestDouble("FakeClock"));
    assertTrue(TestCode.isTestDouble("StubResolver"));
    assertTrue(TestCode.isTestDouble("DummyAdminServer"));
    assertTrue(TestCode.isTestDouble("TimeForTesting"));
    assertFalse(TestCode.isTestDouble("Mockingbird"));
    assertFalse(TestCode.isTestDouble("Mock"));
    assertFalse(TestCode.isTestDouble("KafkaProducer"));
    assertFalse(TestCode.isTestDouble("GreeterBlockingStub"));
    assertFalse(TestCode.isTestDouble("Stubborn"));
  }
}
