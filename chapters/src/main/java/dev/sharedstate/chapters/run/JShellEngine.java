package dev.sharedstate.chapters.run;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

/**
 * One JShell with the default (remote) execution engine: snippets run in a separate JVM, so their
 * output is captured and a runaway snippet can be stopped, or the JVM killed, without harming the
 * caller. Not thread-safe: one caller evaluates at a time (stopping comes from the timeout path).
 */
final class JShellEngine implements AutoCloseable {

  /** How long a stopped snippet gets to unwind before its JVM is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(1);

  private final JShell shell;
  private final Capture out;
  private final Capture err;
  private final ExecutorService evaluator;
  private volatile boolean dead;
  private volatile int timeouts;

  private JShellEngine(RunOptions options, OutputStream outTee, OutputStream errTee, boolean analysisOnly) {
    this.out = new Capture(outTee);
    this.err = new Capture(errTee);
    this.evaluator =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jshell-eval");
              t.setDaemon(true);
              return t;
            });
    JShell.Builder builder =
        JShell.builder()
            .in(InputStream.nullInputStream())
            .out(new PrintStream(out, true, StandardCharsets.UTF_8))
            .err(new PrintStream(err, true, StandardCharsets.UTF_8))
            .compilerOptions(options.compilerOptions().toArray(String[]::new));
    if (analysisOnly) {
      builder.executionEngine("local"); // nothing is ever evaluated: no JVM to launch
    } else {
      builder.remoteVMOptions(options.remoteVmOptions().toArray(String[]::new));
    }
    this.shell = builder.build();
    shell.onShutdown(s -> dead = true);
    for (String entry : options.classPath()) {
      shell.addToClasspath(entry);
    }
  }

  static JShellEngine start(RunOptions options) {
    return new JShellEngine(options, OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), false);
  }

  /**
   * An engine for {@link #split} only: it never evaluates, so it launches no JVM. The kinds it
   * tells apart are the same the running engine would.
   */
  static JShellEngine analysisOnly(RunOptions options) {
    return new JShellEngine(options, OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), true);
  }

  /**
   * An engine whose snippets' output is also copied, as it is printed, to {@code outTee} and {@code
   * errTee} (what {@code ./learn book} streams into the page); the runner still drains and checks it.
   */
  static JShellEngine start(RunOptions options, OutputStream outTee, OutputStream errTee) {
    return new JShellEngine(options, outTee, errTee, false);
  }

  /** How many evaluations have run out of time in this engine. */
  int timeouts() {
    return timeouts;
  }

  boolean isDead() {
    return dead;
  }

  /**
   * Cuts {@code source} into complete snippets ({@code eval} only evaluates the first snippet of
   * what it is given). {@code firstLine} is the Markdown line of the source's first line. Telling
   * the kind of each piece costs a compiler pass, so it is done only when {@code classify} is set.
   */
  List<Piece> split(String source, int firstLine, boolean classify) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    List<Piece> pieces = new ArrayList<>();
    String rest = source;
    int consumed = 0;
    while (!rest.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(rest);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break; // only comments left
      }
      boolean complete =
          info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
              || info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
      String text = complete && info.source() != null ? info.source() : rest;
      // Drop leading blank lines so the piece's first line is the line it is reported at.
      int skip = leadingBlankLines(text);
      int line = firstLine + countNewlines(source, consumed) + countNewlines(text, skip);
      String snippet = text.substring(skip).stripTrailing();
      pieces.add(new Piece(snippet, line, classify ? kindOf(snippet) : Piece.Kind.UNCLASSIFIED));
      if (!complete || info.source() == null) {
        break; // incomplete or unparseable: JShell reports the compiler's error for the rest
      }
      consumed += rest.length() - info.remaining().length();
      rest = info.remaining();
    }
    return pieces;
  }

  private Piece.Kind kindOf(String snippet) {
    List<Snippet> snippets;
    try {
      snippets = shell.sourceCodeAnalysis().sourceToSnippets(snippet);
    } catch (RuntimeException e) {
      return Piece.Kind.ERRONEOUS;
    }
    if (snippets.isEmpty()) {
      return Piece.Kind.ERRONEOUS;
    }
    return switch (snippets.getFirst().kind()) {
      case IMPORT -> Piece.Kind.IMPORT;
      case TYPE_DECL -> Piece.Kind.TYPE;
      case METHOD -> Piece.Kind.METHOD;
      case VAR -> Piece.Kind.VARIABLE;
      case EXPRESSION, STATEMENT -> Piece.Kind.STATEMENT;
      case ERRONEOUS -> Piece.Kind.ERRONEOUS;
    };
  }

  /** Length of the prefix of {@code s} made of whole blank lines. */
  private static int leadingBlankLines(String s) {
    int end = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        end = i + 1;
      } else if (!Character.isWhitespace(c)) {
        break;
      }
    }
    return end;
  }

  private static int countNewlines(String s, int end) {
    int n = 0;
    for (int i = 0; i < end && i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The outcome of evaluating one snippet under a time limit. */
  sealed interface Outcome {
    /** It returned; the events say whether it compiled and whether it threw. */
    record Evaluated(List<SnippetEvent> events) implements Outcome {}

    /** It ran out of time; it was stopped, or (if it would not stop) its JVM was killed. */
    record TimedOut(boolean engineKilled) implements Outcome {}

    /** The JVM running the snippets went away (e.g. the snippet called {@code System.exit}). */
    record EngineDied(String why) implements Outcome {}
  }

  Outcome eval(String snippet, Duration timeout) {
    if (dead) {
      return new Outcome.EngineDied("the JShell engine had already ended");
    }
    Future<List<SnippetEvent>> future = evaluator.submit(() -> shell.eval(snippet));
    try {
      List<SnippetEvent> events = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (dead) {
        return new Outcome.EngineDied("the JVM running the snippets ended (System.exit?)");
      }
      return new Outcome.Evaluated(events);
    } catch (TimeoutException e) {
      timeouts++;
      shell.stop();
      try {
        future.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        return new Outcome.TimedOut(false);
      } catch (TimeoutException stillRunning) {
        // Threads blocked entering a monitor ignore stop(): kill the JVM instead.
        dead = true;
        shell.close();
        future.cancel(true);
        return new Outcome.TimedOut(true);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return new Outcome.TimedOut(false);
      } catch (ExecutionException ee) {
        return new Outcome.TimedOut(dead);
      }
    } catch (ExecutionException e) {
      dead = true;
      return new Outcome.EngineDied(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shell.stop();
      return new Outcome.TimedOut(false);
    }
  }

  Stream<Diag> diagnostics(Snippet snippet) {
    return shell.diagnostics(snippet);
  }

  Stream<String> unresolved(Snippet snippet) {
    return snippet instanceof jdk.jshell.DeclarationSnippet d
        ? shell.unresolvedDependencies(d)
        : Stream.empty();
  }

  /** A declaration that referred to something not (yet) defined when it was evaluated. */
  record Deferred(Snippet snippet, Piece piece) {}

  private final List<Deferred> deferred = new ArrayList<>();

  void defer(Snippet snippet, Piece piece) {
    deferred.add(new Deferred(snippet, piece));
  }

  /** The deferred declarations since the last call, which forgets them. */
  List<Deferred> takeDeferred() {
    List<Deferred> all = List.copyOf(deferred);
    deferred.clear();
    return all;
  }

  boolean isValid(Snippet snippet) {
    return !dead && shell.status(snippet) == Snippet.Status.VALID;
  }

  void drop(Snippet snippet) {
    if (!dead) {
      shell.drop(snippet);
    }
  }

  /** Everything the snippets printed to {@code System.out} since the last call. */
  String drainOut() {
    return out.drain();
  }

  /** Everything the snippets printed to {@code System.err} since the last call. */
  String drainErr() {
    return err.drain();
  }

  @Override
  public void close() {
    dead = true;
    try {
      shell.close();
    } finally {
      evaluator.shutdownNow();
    }
  }

  /** A byte sink that the JShell output forwarder writes to and the runner drains. */
  private static final class Capture extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputStream tee;

    Capture(OutputStream tee) {
      this.tee = tee;
    }

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      try {
        tee.write(b);
      } catch (java.io.IOException ignored) {
        // a listener that went away must not lose the runner its output
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      try {
        tee.write(b, off, len);
      } catch (java.io.IOException ignored) {
        // as above
      }
    }

    synchronized String drain() {
      String s = bytes.toString(StandardCharsets.UTF_8);
      bytes.reset();
      return s;
    }
  }
}
