package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Chapter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several chapters running side by side on a small bounded pool, each in its own JShell, with a
 * future per block so a caller (the JUnit suite, {@code ./learn run}) can report blocks as they
 * finish, in any order it likes.
 */
public final class SuiteRun implements AutoCloseable {

  private final ExecutorService pool;
  private final Map<Block, CompletableFuture<BlockResult>> byBlock = new HashMap<>();
  private final List<CompletableFuture<List<BlockResult>>> chapters = new ArrayList<>();

  private SuiteRun(List<Chapter> chapterList, RunOptions options) {
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            options.parallelism(),
            r -> {
              Thread t = new Thread(r, "chapter-runner-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    for (Chapter chapter : chapterList) {
      for (Block block : chapter.blocks()) {
        byBlock.put(block, new CompletableFuture<>());
      }
    }
    ChapterRunner runner = new ChapterRunner(options);
    for (Chapter chapter : chapterList) {
      CompletableFuture<List<BlockResult>> done =
          CompletableFuture.supplyAsync(
              () -> runner.run(chapter, r -> byBlock.get(r.block()).complete(r)), pool);
      done.whenComplete(
          (results, error) -> {
            if (error != null) {
              // The runner itself broke: every block still waiting learns why.
              for (Block block : chapter.blocks()) {
                byBlock.get(block)
                    .complete(
                        new BlockResult.Failed(
                            block, block.line(), "the chapter runner failed: " + error, "", ""));
              }
            }
          });
      chapters.add(done);
    }
  }

  /** Starts running {@code chapters}; returns at once. */
  public static SuiteRun start(List<Chapter> chapters, RunOptions options) {
    return new SuiteRun(chapters, options);
  }

  /** The result of one block of the chapters given to {@link #start}. */
  public CompletableFuture<BlockResult> result(Block block) {
    CompletableFuture<BlockResult> f = byBlock.get(block);
    if (f == null) {
      throw new IllegalArgumentException("not part of this run: " + block.location());
    }
    return f;
  }

  /**
   * Waits for one block's result; a failure of the runner itself (not of the snippet) is reported as that
   * block's failure, so a caller printing results never has to handle it separately.
   */
  public BlockResult await(Block block) throws InterruptedException {
    try {
      return result(block).get();
    } catch (ExecutionException e) {
      return new BlockResult.Failed(block, block.line(), "runner error: " + e.getCause(), "", "");
    }
  }

  /** Completes when every chapter has finished. */
  public CompletableFuture<Void> done() {
    return CompletableFuture.allOf(chapters.toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
