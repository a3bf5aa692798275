package dev.sharedstate.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.markdown.Mode;
import dev.sharedstate.chapters.markdown.ParseProblem;
import dev.sharedstate.chapters.run.BlockResult;
import dev.sharedstate.chapters.run.RunOptions;
import dev.sharedstate.chapters.run.SuiteRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code block of every chapter, as a JUnit test named {@code file:line label}, one container
 * per chapter. The chapters run side by side while JUnit walks the tests, each test waiting for
 * its block's result.
 *
 * <p>{@code -Dchapters.bless=true} rewrites mismatching output fences that hold no wildcard
 * (lockcheck's report in chapter 7) instead of failing.
 */
class ChapterSnippetsTest {

  /** The chapters folder: the module directory, where surefire runs the tests. */
  private static final Path CHAPTERS = Path.of(System.getProperty("chapters.dir", "."));

  private static final List<String> EXPECTED_CHAPTERS =
      List.of(
          "01-the-problem.md",
          "02-strategies.md",
          "03-cheap-shared-values.md",
          "04-one-map-behind-a-lock.md",
          "05-blocking-and-async-locks.md",
          "06-contention-and-sharding.md",
          "07-lock-across-a-blocking-call.md");

  private static SuiteRun run;

  @AfterAll
  static void stop() {
    if (run != null) {
      run.close();
    }
  }

  @TestFactory
  List<DynamicNode> chapters() {
    long started = System.nanoTime();
    ChapterParser parser = new ChapterParser();
    List<Chapter> chapters = ChapterParser.discover(CHAPTERS).stream().map(parser::parse).toList();
    RunOptions options = RunOptions.defaults().withBless(Boolean.getBoolean("chapters.bless"));
    run = SuiteRun.start(chapters, options);

    List<DynamicNode> nodes = new ArrayList<>();
    nodes.add(
        dynamicTest(
            "the seven chapters exist",
            () ->
                assertEquals(
                    EXPECTED_CHAPTERS,
                    chapters.stream().map(Chapter::fileName).toList(),
                    "chapters/ must hold exactly the chapters named in the team brief")));
    for (Chapter chapter : chapters) {
      List<DynamicNode> tests = new ArrayList<>();
      for (ParseProblem problem : chapter.problems()) {
        tests.add(dynamicTest(problem.file().getFileName() + ":" + problem.line() + " malformed fence", () -> fail(problem.toString())));
      }
      for (Block block : chapter.blocks()) {
        String name = block.location() + " [" + block.mode().keyword() + "] " + block.label();
        tests.add(dynamicTest(name, () -> verify(block)));
      }
      nodes.add(dynamicContainer(chapter.fileName() + " — " + chapter.title(), tests));
    }
    nodes.add(dynamicTest("summary", () -> summary(chapters, started)));
    return nodes;
  }

  private static void verify(Block block) throws Exception {
    BlockResult result = run.result(block).get(10, TimeUnit.MINUTES);
    switch (result) {
      case BlockResult.Passed p -> {}
      case BlockResult.Skipped s -> Assumptions.abort("skipped: " + s.reason());
      case BlockResult.Failed f -> fail(f.message());
    }
  }

  private static void summary(List<Chapter> chapters, long started) throws Exception {
    run.done().get(10, TimeUnit.MINUTES);
    StringBuilder sb = new StringBuilder("chapter snippets:\n");
    int total = 0;
    int executed = 0;
    int skipped = 0;
    for (Chapter c : chapters) {
      int runs = 0;
      int lockcheck = 0;
      int compileOnly = 0;
      List<String> skips = new ArrayList<>();
      for (Block b : c.blocks()) {
        switch (b.mode()) {
          case Mode.Run r -> runs++;
          case Mode.LockcheckFail l -> lockcheck++;
          case Mode.CompileOnly co -> compileOnly++;
          case Mode.Skip s -> skips.add(b.location() + " (" + s.reason() + ")");
        }
      }
      total += c.blocks().size();
      executed += runs;
      skipped += skips.size();
      sb.append(
          String.format(
              "  %-36s %3d run, %2d lockcheck-fail, %2d compile-only, %2d skipped%s%n",
              c.fileName(),
              runs,
              lockcheck,
              compileOnly,
              skips.size(),
              skips.isEmpty() ? "" : ": " + String.join(", ", skips)));
    }
    sb.append(
        String.format(
            "  total: %d blocks, %d executed, %d skipped; wall time %.1f s%n",
            total, executed, skipped, (System.nanoTime() - started) / 1e9));
    System.out.print(sb);
    List<String> unreasoned =
        chapters.stream()
            .flatMap(c -> c.blocks().stream())
            .filter(b -> b.mode() instanceof Mode.Skip s && s.reason().isBlank())
            .map(Block::location)
            .collect(Collectors.toList());
    assertEquals(List.of(), unreasoned, "every skipped block must state why");
  }
}
