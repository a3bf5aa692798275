package dev.sharedstate.lockcheck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the fuzzer working in the default build: a few hundred inputs, no crash, and the same inputs
 * from the same seed. The real run (100,000 inputs) is {@code checker/fuzz/fuzz.sh}.
 */
class FuzzSmokeTest {

  static final List<Path> SEEDS = List.of(Path.of("src/test/resources/fixtures"), Path.of("../chapters"));

  @Test
  @Timeout(120)
  void twoHundredMutantsCrashNothing(@TempDir Path out) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Fuzz.Summary s = Fuzz.run(new Fuzz.Config(0, 200, 7, 2, 20, SEEDS, out, new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertEquals(200, s.inputs());
    assertTrue(s.clean(), s.line() + "\n" + log.toString(StandardCharsets.UTF_8));
    assertTrue(s.findings() > 0, "the mutants still exercise the analysis: " + s.line());
  }

  @Test
  void theSameSeedGivesTheSameInputs() throws Exception {
    var seeds = Seeds.load(SEEDS).stream().map(Mutator::tokens).toList();
    assertTrue(seeds.size() > 30, "seeds: " + seeds.size());
    List<String> a = LongStream.range(0, 50).mapToObj(i -> Fuzz.input(seeds, 3, i)).toList();
    List<String> b = LongStream.range(0, 50).mapToObj(i -> Fuzz.input(seeds, 3, i)).toList();
    assertEquals(a, b);
    assertNotEquals(a, LongStream.range(0, 50).mapToObj(i -> Fuzz.input(seeds, 4, i)).toList());
  }
}
