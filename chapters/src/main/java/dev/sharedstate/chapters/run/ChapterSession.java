package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Mode;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One chapter's JShell kept open between calls, for a caller that runs blocks one at a time and
 * possibly edited ({@code ./learn book}: one session per open page). Each block is run exactly as
 * {@link ChapterRunner#run} runs it in {@code mvn test} (same splitting, time limits and checks);
 * what the snippets print reaches the {@link Listener} as it is printed.
 *
 * <p>When the JShell dies (a snippet called {@code System.exit}, or would not stop at its time
 * limit), the next {@link #run} starts a fresh one and replays, silently, the latest passing
 * version of each block that passed, in chapter order. A snippet stopped at its time limit whose
 * threads are still running snippet code (a deadlock it started, a runaway worker) closes the
 * JShell as well, since {@code JShell.stop()} reaches only the snippet's own thread.
 *
 * <p>Not thread-safe beyond {@link #close}, which may come from any thread.
 */
public final class ChapterSession implements AutoCloseable {

  /** What a session tells its owner while it runs. */
  public interface Listener {
    /** Text the snippets printed to {@code System.out}, as it arrives. */
    void stdout(String text);

    /** Text the snippets printed to {@code System.err}, as it arrives. */
    void stderr(String text);

    /** A fresh JShell has started (the first, or one after a restart); {@code replaying} blocks follow. */
    default void engineStarted(int replaying) {}

    /** The blocks that passed before have been replayed into a fresh JShell; the asked-for block runs next. */
    default void replayed() {}
  }

  private final RunOptions options;
  private final ChapterRunner runner;
  private final Listener listener;
  private final List<String> setup;
  /** Latest passing version of each block, by the block's line in the chapter. */
  private final TreeMap<Integer, Block> passed = new TreeMap<>();
  private volatile JShellEngine engine;
  private volatile boolean closed;

  /**
   * @param setup snippets evaluated in every fresh JShell before anything else (tooling the caller
   *     needs in the snippets' JVM); their output is discarded and a failure is reported by {@link
   *     #run}
   */
  public ChapterSession(RunOptions options, LockcheckGate gate, List<String> setup, Listener listener) {
    this.options = options;
    this.runner = new ChapterRunner(options, gate);
    this.setup = List.copyOf(setup);
    this.listener = listener;
  }

  public ChapterSession(RunOptions options, Listener listener) {
    this(options, new LockcheckGate(), List.of(), listener);
  }

  /** Whether a JShell is running for this session now. */
  public boolean started() {
    JShellEngine e = engine;
    return e != null && !e.isDead();
  }

  /** Runs one block (as written in the chapter, or edited: same line, other text). */
  public BlockResult run(Block block) {
    if (closed) {
      return new BlockResult.Failed(block, block.line(), "not run: this session was closed", "", "");
    }
    if (block.mode() instanceof Mode.Skip skip) {
      return new BlockResult.Skipped(block, skip.reason());
    }
    if (engine == null || engine.isDead()) {
      Optional<String> why = startEngine();
      if (why.isPresent()) {
        return new BlockResult.Failed(block, block.line(), "not run: " + why.get(), "", "");
      }
    }
    JShellEngine e = engine;
    int timeoutsBefore = e.timeouts();
    BlockResult result = runner.runBlock(e, block, new ArrayList<>());
    if (result instanceof BlockResult.Passed) {
      passed.put(block.line(), block);
    } else {
      passed.remove(block.line());
    }
    if (e.timeouts() > timeoutsBefore && !e.isDead() && result instanceof BlockResult.Failed f) {
      String stuck = stuckThreads(e);
      if (!stuck.isEmpty()) {
        e.close();
        result =
            new BlockResult.Failed(
                f.block(),
                f.line(),
                f.summary()
                    + "; threads it started were still running ("
                    + stuck
                    + "), so its JShell was closed: the next run starts a fresh one",
                f.details(),
                f.stdout());
      }
    }
    return result;
  }

  /**
   * Starts the JShell now, if it is not running, so that the first {@link #run} does not wait for it
   * (a page that has just opened); returns why it could not, if it could not.
   */
  public Optional<String> warmUp() {
    if (closed) {
      return Optional.of("this session was closed");
    }
    if (engine == null || engine.isDead()) {
      return startEngine();
    }
    return Optional.empty();
  }

  /** Forgets every block that ran and closes the JShell: the next {@link #run} starts from nothing. */
  public void reset() {
    passed.clear();
    JShellEngine e = engine;
    if (e != null) {
      e.close();
    }
  }

  /** The blocks that passed so far (latest version of each), in chapter order. */
  public List<Block> passedBlocks() {
    return List.copyOf(passed.values());
  }

  @Override
  public void close() {
    closed = true;
    JShellEngine e = engine;
    if (e != null) {
      e.close();
    }
  }

  private Optional<String> startEngine() {
    if (engine != null) {
      engine.close();
    }
    JShellEngine e =
        JShellEngine.start(options, new Utf8Tee(listener::stdout), new Utf8Tee(listener::stderr));
    engine = e;
    if (closed) {
      e.close();
      return Optional.of("this session was closed");
    }
    for (String snippet : setup) {
      JShellEngine.Outcome o = e.eval(snippet, Duration.ofSeconds(10));
      if (!(o instanceof JShellEngine.Outcome.Evaluated ev)
          || ev.events().stream().anyMatch(s -> !s.status().isDefined() || s.exception() != null)) {
        e.close();
        return Optional.of("the session's setup snippet failed: " + snippet);
      }
    }
    e.drainOut();
    e.drainErr();
    List<Block> replay = passedBlocks();
    listener.engineStarted(replay.size());
    Optional<String> failure = runner.replay(e, replay);
    if (failure.isPresent()) {
      passed.clear();
      e.close();
      return Optional.of("a fresh JShell could not replay the blocks that passed before: " + failure.get());
    }
    listener.replayed();
    return Optional.empty();
  }

  /**
   * Threads other than the evaluating one that are still inside snippet code ({@code REPL.*}
   * frames), as "name (STATE)", or empty. Snippet code is what JShell compiles into package REPL.
   */
  private static String stuckThreads(JShellEngine e) {
    String probe =
        "Thread.getAllStackTraces().entrySet().stream()"
            + ".filter(t -> t.getKey() != Thread.currentThread() && t.getKey().isAlive()"
            + " && java.util.Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName().startsWith(\"REPL.\")))"
            + ".map(t -> t.getKey().getName() + \" \" + t.getKey().getState())"
            + ".sorted().collect(java.util.stream.Collectors.joining(\", \"))";
    JShellEngine.Outcome o = e.eval(probe, Duration.ofSeconds(2));
    e.drainOut();
    e.drainErr();
    if (o instanceof JShellEngine.Outcome.Evaluated ev && !ev.events().isEmpty()) {
      String v = ev.events().getFirst().value();
      if (v != null && v.length() >= 2 && v.startsWith("\"")) {
        return v.substring(1, v.length() - 1);
      }
      return "";
    }
    return "the check for them did not finish";
  }


  /** Decodes UTF-8 as it arrives (a character may be split between two writes) and hands it on. */
  private static final class Utf8Tee extends OutputStream {
    private final java.util.function.Consumer<String> sink;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    Utf8Tee(java.util.function.Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
      in.put(pending).put(b, off, len).flip();
      CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
      decoder.decode(in, out, false);
      pending = in.slice();
      out.flip();
      if (out.hasRemaining()) {
        try {
          sink.accept(out.toString());
        } catch (RuntimeException ignored) {
          // the listener's trouble is not the snippet's
        }
      }
    }
  }
}
