package dev.sharedstate.chapters;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.markdown.ParseProblem;
import dev.sharedstate.chapters.run.BlockResult;
import dev.sharedstate.chapters.run.RunOptions;
import dev.sharedstate.chapters.run.SuiteRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs chapters from the command line and prints one line per block (and the failure report of
 * each failing block): {@code RunChapters [--bless] [file.md | folder]...}. Exit code 0 when every
 * block passed or was skipped, 1 when one failed or a fence is malformed, 2 on bad arguments.
 */
public final class RunChapters {

  private RunChapters() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** The command, with its output streams injected. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    boolean bless = false;
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--bless")) {
        bless = true;
      } else if (Files.isDirectory(Path.of(a))) {
        files.addAll(ChapterParser.discover(Path.of(a)));
      } else if (Files.isRegularFile(Path.of(a))) {
        files.add(Path.of(a));
      } else {
        err.println("error: no such chapter file or folder: " + a);
        return 2;
      }
    }
    if (files.isEmpty()) {
      files.addAll(ChapterParser.discover(Path.of(".")));
    }
    ChapterParser parser = new ChapterParser();
    List<Chapter> chapters = files.stream().map(parser::parse).toList();
    long started = System.nanoTime();
    int failed = 0;
    int passed = 0;
    int skipped = 0;
    try (SuiteRun run = SuiteRun.start(chapters, RunOptions.defaults().withBless(bless))) {
      for (Chapter chapter : chapters) {
        out.println(chapter.fileName() + " — " + chapter.title());
        for (ParseProblem p : chapter.problems()) {
          out.println("  FAIL " + p);
          failed++;
        }
        for (Block block : chapter.blocks()) {
          BlockResult r = run.await(block);
          switch (r) {
            case BlockResult.Passed p -> {
              passed++;
              out.printf("  ok   %-40s %5d ms  %s%n", block.location(), p.elapsed().toMillis(), block.label());
            }
            case BlockResult.Skipped s -> {
              skipped++;
              out.printf("  skip %-40s %s%n", block.location(), s.reason());
            }
            case BlockResult.Failed f -> {
              failed++;
              out.printf("  FAIL %s%n", f.message().replace("\n", "\n       "));
            }
          }
        }
      }
    }
    out.printf(
        "%d passed, %d failed, %d skipped in %.1f s%n",
        passed, failed, skipped, (System.nanoTime() - started) / 1e9);
    return failed == 0 ? 0 : 1;
  }
}
