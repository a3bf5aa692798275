package dev.sharedstate.chapters.run;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.ExpectedOutput;
import dev.sharedstate.chapters.markdown.Mode;
import dev.sharedstate.chapters.markdown.OutputFences;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Runs one chapter's blocks in order in one JShell, the way a reader pasting them into {@code
 * jshell} would, and reports a {@link BlockResult} per block as soon as it is known.
 *
 * <p>A snippet that runs out of time is stopped (or its JVM killed) and reported; a snippet that
 * ends the JVM ({@code System.exit}) is reported; in both cases the chapter goes on in a fresh
 * JShell into which the blocks that passed so far are replayed silently.
 */
public final class ChapterRunner {

  private final RunOptions options;
  private final LockcheckGate gate;

  public ChapterRunner(RunOptions options) {
    this(options, new LockcheckGate());
  }

  public ChapterRunner(RunOptions options, LockcheckGate gate) {
    this.options = options;
    this.gate = gate;
  }

  /** Runs the chapter; {@code listener} hears each result in block order, as it happens. */
  public List<BlockResult> run(Chapter chapter, Consumer<BlockResult> listener) {
    List<BlockResult> results = new ArrayList<>();
    List<OutputFences.Rewrite> blessed = new ArrayList<>();
    List<Block> passed = new ArrayList<>();
    JShellEngine engine = null;
    String brokenBecause = null;
    try {
      for (Block block : chapter.blocks()) {
        BlockResult result;
        if (block.mode() instanceof Mode.Skip skip) {
          result = new BlockResult.Skipped(block, skip.reason());
        } else if (brokenBecause != null) {
          result = new BlockResult.Failed(block, block.line(), "not run: " + brokenBecause, "", "");
        } else {
          if (engine == null || engine.isDead()) {
            boolean restart = engine != null;
            if (engine != null) {
              engine.close();
            }
            engine = JShellEngine.start(options);
            if (restart) {
              Optional<String> replayFailure = replay(engine, passed);
              if (replayFailure.isPresent()) {
                brokenBecause = "a fresh JShell could not replay the chapter so far: " + replayFailure.get();
                result = new BlockResult.Failed(block, block.line(), "not run: " + brokenBecause, "", "");
                results.add(result);
                listener.accept(result);
                continue;
              }
            }
          }
          result = runBlock(engine, block, blessed);
          if (result instanceof BlockResult.Passed) {
            passed.add(block);
          }
        }
        results.add(result);
        listener.accept(result);
      }
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
    if (!blessed.isEmpty()) {
      OutputFences.rewrite(chapter.file(), blessed);
    }
    return results;
  }

  BlockResult runBlock(JShellEngine engine, Block block, List<OutputFences.Rewrite> blessed) {
    long started = System.nanoTime();
    engine.drainOut();
    engine.drainErr();
    List<Piece> pieces = engine.split(block.fullText(), block.firstCodeLine(), !(block.mode() instanceof Mode.Run));
    Duration timeout = block.timeout().orElse(options.defaultTimeout());
    Optional<BlockResult.Failed> failure =
        switch (block.mode()) {
          case Mode.Run r -> evalAll(engine, block, pieces, timeout);
          case Mode.CompileOnly c -> compileOnly(engine, block, pieces, timeout);
          case Mode.LockcheckFail l -> lockcheckFail(engine, block, pieces, timeout, l, blessed);
          case Mode.Skip s -> Optional.empty();
        };
    if (failure.isPresent()) {
      return failure.get();
    }
    String stdout = engine.drainOut();
    String stderr = engine.drainErr();
    if (!stderr.isEmpty()) {
      return new BlockResult.Failed(
          block,
          block.line(),
          "the block wrote to System.err (catch and print what the reader should see)",
          snippetText(block) + "\n  stderr:\n" + indent(stderr) + outputSection(stdout),
          stdout);
    }
    if (block.mode() instanceof Mode.Run) {
      Optional<ExpectedOutput> expected = block.expectedOutput();
      if (expected.isEmpty() && !stdout.isEmpty()) {
        return new BlockResult.Failed(
            block,
            block.line(),
            "the block printed output but no ```output fence follows it",
            snippetText(block) + outputSection(stdout),
            stdout);
      }
      if (expected.isPresent() && stdout.contains(ExpectedOutput.ANY_TEXT)) {
        return new BlockResult.Failed(
            block,
            block.line(),
            "the block printed the wildcard " + ExpectedOutput.ANY_TEXT
                + " itself, which would match the fence whatever happened: print the real value",
            snippetText(block) + outputSection(stdout),
            stdout);
      }
      if (expected.isPresent() && !expected.get().matches(stdout)) {
        ExpectedOutput want = expected.get();
        if (options.bless() && OutputFences.blessable(want)) {
          blessed.add(new OutputFences.Rewrite(want, stdout));
        } else {
          return new BlockResult.Failed(
              block,
              want.line(),
              "output differs from the ```output fence of the block at " + block.location(),
              "  expected (wildcards: [..] within a line, ... for lines):\n"
                  + indent(want.text())
                  + "  actual:\n"
                  + indent(stdout),
              stdout);
        }
      }
    }
    return new BlockResult.Passed(block, stdout, Duration.ofNanos(System.nanoTime() - started));
  }

  /** Evaluates every piece; the first that fails ends the block. */
  private Optional<BlockResult.Failed> evalAll(
      JShellEngine engine, Block block, List<Piece> pieces, Duration timeout) {
    for (int i = 0; i < pieces.size(); i++) {
      Piece piece = pieces.get(i);
      // A declaration may refer to one declared later in the same block (JShell resolves it
      // then); only the block's last piece must be resolved on the spot.
      boolean lastPiece = i == pieces.size() - 1;
      Optional<BlockResult.Failed> f = evalOne(engine, block, piece, timeout, piece.source(), 0, !lastPiece);
      if (f.isPresent()) {
        return f;
      }
    }
    return unresolvedLeft(engine, block);
  }

  /** Declarations of this block that are still waiting for something never defined. */
  private Optional<BlockResult.Failed> unresolvedLeft(JShellEngine engine, Block block) {
    for (var pending : engine.takeDeferred()) {
      if (!engine.isValid(pending.snippet())) {
        String missing = engine.unresolved(pending.snippet()).collect(Collectors.joining(", "));
        return Optional.of(
            failedWith(
                engine,
                block,
                pending.piece().line(),
                "refers to something never defined",
                pending.piece(),
                "  unresolved: " + (missing.isEmpty() ? "(unknown)" : missing) + "\n"));
      }
    }
    return Optional.empty();
  }

  /**
   * Declarations are declared (they stay defined for later blocks); everything else is compiled
   * inside a method that is never called, then dropped.
   */
  private Optional<BlockResult.Failed> compileOnly(
      JShellEngine engine, Block block, List<Piece> pieces, Duration timeout) {
    List<Piece> body = new ArrayList<>();
    for (Piece piece : pieces) {
      if (piece.kind().declaresOnly()) {
        Optional<BlockResult.Failed> f = evalOne(engine, block, piece, timeout, piece.source(), 0);
        if (f.isPresent()) {
          return f;
        }
      } else {
        body.add(piece);
      }
    }
    if (body.isEmpty()) {
      return Optional.empty();
    }
    String wrapper =
        "void compileOnly$"
            + block.line()
            + "() throws Throwable {\n"
            + body.stream().map(Piece::source).collect(Collectors.joining("\n"))
            + "\n}";
    Piece first = body.getFirst();
    Optional<BlockResult.Failed> f = evalOne(engine, block, first, timeout, wrapper, 1);
    return f;
  }

  private Optional<BlockResult.Failed> lockcheckFail(
      JShellEngine engine,
      Block block,
      List<Piece> pieces,
      Duration timeout,
      Mode.LockcheckFail mode,
      List<OutputFences.Rewrite> blessed) {
    // javac must accept the bug: compile its declarations, run nothing.
    for (Piece piece : pieces) {
      if (piece.kind().declaresOnly()) {
        Optional<BlockResult.Failed> f = evalOne(engine, block, piece, timeout, piece.source(), 0);
        if (f.isPresent()) {
          return f;
        }
      }
    }
    LockcheckGate.Unit unit = LockcheckGate.compilationUnit(block, pieces);
    Optional<String> problem = gate.check(unit, mode.ruleId());
    if (problem.isPresent()) {
      return Optional.of(
          new BlockResult.Failed(
              block,
              block.line(),
              "lockcheck did not report this lockcheck-fail block as expected",
              snippetText(block) + "\n" + problem.get(),
              ""));
    }
    if (block.expectedOutput().isPresent()) {
      ExpectedOutput want = block.expectedOutput().get();
      String actual;
      try {
        actual = gate.report(unit);
      } catch (LockcheckGate.ReportUnavailable e) {
        return Optional.of(
            new BlockResult.Failed(block, want.line(), "cannot render lockcheck's report: " + e.getMessage(), "", ""));
      }
      if (!want.matches(actual)) {
        if (options.bless() && OutputFences.blessable(want)) {
          blessed.add(new OutputFences.Rewrite(want, actual));
        } else {
          return Optional.of(
              new BlockResult.Failed(
                  block,
                  want.line(),
                  "lockcheck's report differs from the ```output fence of the block at "
                      + block.location()
                      + " (regenerate: see chapters/README.md, 'bless')",
                  "  expected:\n" + indent(want.text()) + "  actual:\n" + indent(actual),
                  ""));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Evaluates {@code source} (a piece, or a wrapper around pieces starting {@code wrapperLines}
   * lines before the piece's first line) and checks everything JShell says about it.
   */
  private Optional<BlockResult.Failed> evalOne(
      JShellEngine engine, Block block, Piece piece, Duration timeout, String source, int wrapperLines) {
    return evalOne(engine, block, piece, timeout, source, wrapperLines, false);
  }

  private Optional<BlockResult.Failed> evalOne(
      JShellEngine engine,
      Block block,
      Piece piece,
      Duration timeout,
      String source,
      int wrapperLines,
      boolean mayDefer) {
    JShellEngine.Outcome outcome = engine.eval(source, timeout);
    return switch (outcome) {
      case JShellEngine.Outcome.TimedOut t ->
          Optional.of(
              failed(
                  engine,
                  block,
                  piece.line(),
                  "timed out after "
                      + human(timeout)
                      + (t.engineKilled()
                          ? "; it would not stop, so its JVM was killed (the chapter goes on in a fresh JShell)"
                          : "; it was stopped")
                      + " (raise it with timeout=... on the fence if the block is meant to take longer)",
                  piece));
      case JShellEngine.Outcome.EngineDied d ->
          Optional.of(
              failed(
                  engine,
                  block,
                  piece.line(),
                  "the snippet ended the JVM running the chapter (" + d.why() + "); the chapter goes on in a fresh JShell",
                  piece));
      case JShellEngine.Outcome.Evaluated e ->
          check(engine, block, piece, source, wrapperLines, e.events(), mayDefer);
    };
  }

  private Optional<BlockResult.Failed> check(
      JShellEngine engine,
      Block block,
      Piece piece,
      String source,
      int wrapperLines,
      List<SnippetEvent> events,
      boolean mayDefer) {
    if (events.isEmpty()) {
      return Optional.of(failed(engine, block, piece.line(), "JShell did not accept this as a snippet", piece));
    }
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue; // an update of an earlier snippet caused by this one
      }
      Snippet snippet = event.snippet();
      List<Diag> errors = engine.diagnostics(snippet).filter(Diag::isError).toList();
      switch (event.status()) {
        case REJECTED -> {
          int line = piece.line();
          StringBuilder sb = new StringBuilder();
          for (Diag d : errors) {
            int at = diagLine(source, d) - wrapperLines;
            if (sb.isEmpty()) {
              line = piece.line() + Math.max(0, at);
            }
            sb.append("  error (line ")
                .append(piece.line() + Math.max(0, at))
                .append("): ")
                .append(d.getMessage(null).replace("\n", "\n    "))
                .append('\n');
          }
          if (sb.isEmpty()) {
            sb.append("  (JShell gave no diagnostic)\n");
          }
          return Optional.of(
              failedWith(engine, block, line, "does not compile", piece, sb.toString()));
        }
        case RECOVERABLE_DEFINED, RECOVERABLE_NOT_DEFINED -> {
          if (mayDefer) {
            engine.defer(snippet, piece);
            continue;
          }
          String missing = engine.unresolved(snippet).collect(Collectors.joining(", "));
          return Optional.of(
              failedWith(
                  engine,
                  block,
                  piece.line(),
                  "refers to something never defined",
                  piece,
                  "  unresolved: " + (missing.isEmpty() ? "(unknown)" : missing) + "\n"));
        }
        default -> {}
      }
      if (wrapperLines > 0 && event.status().isDefined()) {
        engine.drop(snippet);
      }
      JShellException thrown = event.exception();
      if (thrown != null) {
        return Optional.of(
            failedWith(engine, block, piece.line(), "threw " + describe(thrown), piece, stackOf(thrown)));
      }
    }
    return Optional.empty();
  }

  private static int diagLine(String source, Diag d) {
    long pos = d.getStartPosition();
    if (pos < 0) {
      pos = d.getPosition();
    }
    int n = 0;
    for (int i = 0; i < pos && i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String describe(JShellException e) {
    return switch (e) {
      case EvalException ee -> ee.getExceptionClassName() + (ee.getMessage() == null ? "" : ": " + ee.getMessage());
      case UnresolvedReferenceException ure -> "UnresolvedReferenceException: " + ure.getSnippet().source();
      default -> e.toString();
    };
  }

  private static String stackOf(JShellException e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    int depth = 0;
    while (t != null && depth++ < 3) {
      if (t != e) {
        sb.append("  caused by ").append(t instanceof EvalException ee ? ee.getExceptionClassName() + ": " + ee.getMessage() : t).append('\n');
      }
      Arrays.stream(t.getStackTrace())
          .filter(f -> !f.getClassName().startsWith("jdk.jshell.") && !f.getClassName().startsWith("jdk.internal."))
          .limit(6)
          .forEach(f -> sb.append("    at ").append(f).append('\n'));
      t = t.getCause();
    }
    return sb.toString();
  }

  private BlockResult.Failed failed(JShellEngine engine, Block block, int line, String summary, Piece piece) {
    return failedWith(engine, block, line, summary, piece, "");
  }

  private BlockResult.Failed failedWith(
      JShellEngine engine, Block block, int line, String summary, Piece piece, String detail) {
    String stdout = engine.isDead() ? "" : engine.drainOut();
    String stderr = engine.isDead() ? "" : engine.drainErr();
    StringBuilder sb = new StringBuilder();
    sb.append("  snippet:\n").append(numbered(piece.source(), piece.line()));
    if (!detail.isEmpty()) {
      sb.append(detail);
    }
    sb.append(outputSection(stdout));
    if (!stderr.isEmpty()) {
      sb.append("  stderr:\n").append(indent(stderr));
    }
    block.expectedOutput()
        .ifPresent(want -> sb.append("  expected output (line ").append(want.line()).append("):\n").append(indent(want.text())));
    return new BlockResult.Failed(block, line, summary, sb.toString().stripTrailing(), stdout);
  }

  private static String snippetText(Block block) {
    return "  block:\n" + numbered(block.fullText(), block.firstCodeLine()).stripTrailing();
  }

  private static String numbered(String text, int firstLine) {
    StringBuilder sb = new StringBuilder();
    String[] lines = text.split("\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      sb.append(String.format("  %5d | %s%n", firstLine + i, lines[i]));
    }
    return sb.toString();
  }

  private static String outputSection(String stdout) {
    return stdout.isEmpty() ? "" : "\n  stdout:\n" + indent(stdout);
  }

  private static String indent(String s) {
    if (s.isEmpty()) {
      return "    (nothing)\n";
    }
    StringBuilder sb = new StringBuilder();
    for (String l : s.split("\n", -1)) {
      sb.append("    | ").append(l).append('\n');
    }
    if (s.endsWith("\n")) {
      sb.setLength(sb.length() - "    | \n".length());
    }
    return sb.toString();
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Re-evaluates the blocks that passed, discarding their output; the first failure is returned. */
  Optional<String> replay(JShellEngine engine, List<Block> blocks) {
    for (Block block : blocks) {
      Duration timeout = block.timeout().orElse(options.defaultTimeout());
      boolean runs = block.mode() instanceof Mode.Run;
      for (Piece piece : engine.split(block.fullText(), block.firstCodeLine(), !runs)) {
        if (!runs && !piece.kind().declaresOnly()) {
          continue;
        }
        Optional<BlockResult.Failed> f = evalOne(engine, block, piece, timeout, piece.source(), 0);
        if (f.isPresent()) {
          return Optional.of(block.fileName() + ":" + f.get().line() + ": " + f.get().summary());
        }
      }
      engine.drainOut();
      engine.drainErr();
    }
    return Optional.empty();
  }
}
