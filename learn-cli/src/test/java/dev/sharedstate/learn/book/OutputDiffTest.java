package dev.sharedstate.learn.book;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected-versus-printed marking uses the runner's own matching: wildcards and trailing whitespace. */
class OutputDiffTest {

  static String render(List<OutputDiff.Line> lines) {
    StringBuilder sb = new StringBuilder();
    for (var l : lines) {
      sb.append(switch (l.op()) {
        case "same" -> "  ";
        case "expected" -> "- ";
        default -> "+ ";
      }).append(l.text()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void matchingOutputHasNothingMarked() {
    assertEquals("  a\n  b\n", render(OutputDiff.diff("a\nb\n", "a   \nb\n\n")));
  }

  @Test
  void wildcardsMatchAsTheRunnerMatchesThem() {
    assertEquals("  took 12 ms\n  x\n  y\n  end\n", render(OutputDiff.diff("took [..] ms\n...\nend\n", "took 12 ms\nx\ny\nend\n")));
  }

  @Test
  void aChangedLineIsMarkedOnBothSides() {
    assertEquals("  first\n- reader got the lock: false\n+ reader got the lock: true\n  last\n",
        render(OutputDiff.diff("first\nreader got the lock: false\nlast\n", "first\nreader got the lock: true\nlast\n")));
  }

  @Test
  void missingAndExtraLines() {
    assertEquals("- only expected\n", render(OutputDiff.diff("only expected\n", "")));
    assertEquals("+ only printed\n", render(OutputDiff.diff("", "only printed\n")));
  }
}
