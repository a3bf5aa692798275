package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The part of {@link ChapterRunner}'s work that needs no JVM: a block cut into snippets and their
 * kinds by JShell's source analysis (a JShell that never evaluates, so it launches nothing), then
 * made into the compilation unit lockcheck sees for a {@code lockcheck-fail} block. What {@code
 * ./learn book}'s Check gives lockcheck for a block as the learner edited it.
 */
public final class SnippetAnalysis implements AutoCloseable {

  private final ReentrantLock lock = new ReentrantLock(); // one analysis at a time: a JShell is not thread-safe
  private JShellEngine engine;

  /** The compilation unit lockcheck checks for {@code block}, with its lines mapped to the block's. */
  public LockcheckGate.Unit compilationUnit(Block block) {
    lock.lock();
    try {
      if (engine == null) {
        engine = JShellEngine.analysisOnly(RunOptions.defaults());
      }
      return LockcheckGate.compilationUnit(block, engine.split(block.fullText(), block.firstCodeLine(), true));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (engine != null) {
        engine.close();
        engine = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
