package dev.sharedstate.chapters.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChapterParserTest {

  private static final Path FILE = Path.of("99-synthetic.md");

  private final ChapterParser parser = new ChapterParser();

  private Chapter parse(String md) {
    return parser.parse(FILE, md);
  }

  @Test
  void findsJavaBlocksWithLinesMarkersAndOutput() {
    Chapter c =
        parse(
            """
            # A title with `code`

            Some prose.

            ```java
            int a = 1;
            System.out.println(a);
            ```

            It prints:

            ```output
            1
            ```

            ```rust
            let ignored = 1;
            ```

            ```java lockcheck-fail=lock-held-across-blocking-call timeout=10s
            class Bad {}
            ```

            ```java skip="needs a network"
            x
            ```

            ```java compile-only="runs forever" timeout=250ms
            while (true) {}
            ```
            """);
    assertEquals("A title with code", c.title());
    assertEquals(List.of(), c.problems());
    assertEquals(4, c.blocks().size());

    Block run = c.blocks().get(0);
    assertEquals(5, run.line());
    assertEquals(6, run.firstCodeLine());
    assertEquals(new Mode.Run(), run.mode());
    assertEquals("99-synthetic.md:5", run.location());
    assertEquals(6, run.lines().get(0).line());
    assertEquals(12, run.expectedOutput().orElseThrow().line());
    assertEquals(14, run.expectedOutput().orElseThrow().endLine());
    assertEquals("1\n", run.expectedOutput().orElseThrow().text());
    assertEquals("int a = 1;", run.label());

    Block bad = c.blocks().get(1);
    assertEquals(new Mode.LockcheckFail(Optional.of("lock-held-across-blocking-call")), bad.mode());
    assertEquals(Optional.of(Duration.ofSeconds(10)), bad.timeout());
    assertEquals(new Mode.Skip("needs a network"), c.blocks().get(2).mode());
    assertEquals(new Mode.CompileOnly("runs forever"), c.blocks().get(3).mode());
    assertEquals(Optional.of(Duration.ofMillis(250)), c.blocks().get(3).timeout());
  }

  @Test
  void hiddenLinesRunButAreNotRendered() {
    Chapter c =
        parse(
            """
            ```java
            /* hidden */ import java.util.List;
            var xs = List.of(1, 2);
              /* hidden */System.out.println(xs);
            ```
            """);
    Block b = c.blocks().getFirst();
    assertEquals("var xs = List.of(1, 2);\n", b.visibleText());
    assertEquals("import java.util.List;\nvar xs = List.of(1, 2);\n  System.out.println(xs);\n", b.fullText());
    assertTrue(b.lines().get(0).hidden());
    assertFalse(b.lines().get(1).hidden());
    assertEquals(4, b.lines().get(2).line());
  }

  @Test
  void reportsMalformedFences() {
    Chapter c =
        parse(
            """
            ```output
            stray
            ```

            ```java skip
            x
            ```

            ```java frobnicate timeout=soon
            x
            ```

            ```java skip="a" compile-only="b"
            x
            ```

            ```java compile-only="no output to check"
            x
            ```

            ```output
            y
            ```
            """);
    List<String> problems = c.problems().stream().map(ParseProblem::toString).toList();
    assertEquals(6, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("99-synthetic.md:1: an output fence must follow"), problems.get(0));
    assertTrue(problems.get(1).startsWith("99-synthetic.md:5: skip needs a stated reason"), problems.get(1));
    assertTrue(problems.get(2).contains("unknown marker 'frobnicate'"), problems.get(2));
    assertTrue(problems.get(3).contains("timeout needs a duration"), problems.get(3));
    assertTrue(problems.get(4).contains("at most one of"), problems.get(4));
    assertTrue(problems.get(5).startsWith("99-synthetic.md:21: an output fence must follow a block that runs"), problems.get(5));
  }

  @Test
  void anOutputFenceOfOnlyWildcardsIsAProblem() {
    Chapter c =
        parse(
            """
            ```java
            System.out.println(System.nanoTime());
            ```

            ```output
            [..]
            ```

            ```java
            System.out.println("a\\nb");
            ```

            ```output
            [..][..]
            ...
            ```

            ```java
            System.out.println("took " + 3 + " ms");
            ```

            ```output
            took [..] ms
            ```
            """);
    List<String> problems = c.problems().stream().map(ParseProblem::toString).toList();
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("99-synthetic.md:5: this output fence holds only wildcards"), problems.get(0));
    assertTrue(problems.get(1).startsWith("99-synthetic.md:13: "), problems.get(1));
    assertTrue(ExpectedOutput.isOnlyWildcards("[..]\n\n...\n"));
    assertFalse(ExpectedOutput.isOnlyWildcards(""), "an empty fence is not a wildcard");
    assertFalse(ExpectedOutput.isOnlyWildcards("took [..] ms\n"));
  }

  @Test
  void blocksInsideListsKeepTheirLines() {
    Chapter c =
        parse(
            """
            1. first

               ```java
               int inList = 1;
               ```
            """);
    Block b = c.blocks().getFirst();
    assertEquals(3, b.line());
    assertEquals("int inList = 1;\n", b.fullText());
  }

  @Test
  void wildcardsMatchWithinALineAndWholeLines() {
    assertTrue(ExpectedOutput.matches("took [..] ms\n", "took 12 ms\n"));
    assertTrue(ExpectedOutput.matches("a[..]", "a"));
    assertFalse(ExpectedOutput.matches("took [..] ms", "took 12 s"));
    assertTrue(ExpectedOutput.matches("start\n...\nend\n", "start\na\nb\nend\n"));
    assertTrue(ExpectedOutput.matches("start\n...\nend", "start\nend"));
    assertFalse(ExpectedOutput.matches("start\n...\nend", "start\na"));
    assertTrue(ExpectedOutput.matches("a  \n\n", "a\n"));
    assertFalse(ExpectedOutput.matches("a\nb", "a\nc"));
    assertFalse(ExpectedOutput.matches("1.5 [..]", "1x5 z"), "regex characters are literal");
  }

  @Test
  void blessRewritesOnlyTheFenceContent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("01-x.md");
    Files.writeString(
        file,
        """
        ```java
        System.out.println(1);
        ```

        ```output
        old
        lines
        ```

        - item

          ```java
          System.out.println(2);
          ```
          ```output
          x
          ```
        """);
    Chapter c = parser.parse(file);
    ExpectedOutput first = c.blocks().get(0).expectedOutput().orElseThrow();
    ExpectedOutput second = c.blocks().get(1).expectedOutput().orElseThrow();
    assertTrue(OutputFences.blessable(first));
    assertFalse(OutputFences.blessable(new ExpectedOutput(1, 3, "n = [..]\n")));
    OutputFences.rewrite(file, List.of(new OutputFences.Rewrite(first, "new\n"), new OutputFences.Rewrite(second, "a\nb\n")));
    assertEquals(
        """
        ```java
        System.out.println(1);
        ```

        ```output
        new
        ```

        - item

          ```java
          System.out.println(2);
          ```
          ```output
          a
          b
          ```
        """,
        Files.readString(file));
    Chapter again = parser.parse(file);
    assertInstanceOf(Mode.Run.class, again.blocks().get(1).mode());
    assertEquals("a\nb\n", again.blocks().get(1).expectedOutput().orElseThrow().text());
  }
}
