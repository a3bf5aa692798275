package dev.sharedstate.learn.book;

import dev.sharedstate.learn.Workspace;
import dev.sharedstate.learn.exercises.Exercise;
import dev.sharedstate.learn.exercises.Grade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The exercises' live status, as {@code ./learn watch} keeps it: every exercise of the catalog
 * (read again on every round, so a new exercise folder shows up by itself) is polled for changes to
 * its files ({@code ExerciseCatalog.fingerprint}, every 200 ms), re-graded with the same grader and
 * recorded in the progress file, and each new status is handed to the listener (the pages hear it by
 * server-sent events). Grading is one at a time: the grader redirects {@code System.out} while it runs.
 */
final class ExerciseWatch implements AutoCloseable {

  /** One exercise's status, with what the learner needs to see when it fails. */
  record Status(String exercise, String status, String summary, List<String> details, long gradedAt,
      long gradeMillis) {}

  private final Workspace ws;
  private final Consumer<Status> listener;
  private final Duration poll;
  private final Map<String, Status> latest = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<String> requested = new LinkedBlockingQueue<>();
  /** Grades asked for by a caller that waits for them (the solution's check), completed by the watch thread. */
  private final Map<String, java.util.concurrent.CompletableFuture<Status>> waiting = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private Thread thread;

  ExerciseWatch(Workspace ws, Duration poll, Consumer<Status> listener) {
    this.ws = ws;
    this.poll = poll;
    this.listener = listener;
  }

  void start() {
    thread = Thread.ofVirtual().name("book-exercise-watch").start(this::loop);
  }

  /** The status of each exercise: the last grade of this run, else what the progress file says. */
  Map<String, Status> statuses() {
    Map<String, Status> out = new LinkedHashMap<>();
    var progress = ws.progress();
    for (Exercise e : ws.exercises().exercises()) {
      out.put(e.name(), latest.getOrDefault(e.name(),
          new Status(e.name(), progress.status(e.name()), summaryOf(progress.status(e.name())), List.of(), 0, 0)));
    }
    return out;
  }

  /** One exercise's status (see {@link #statuses()}), or empty for a name the catalog does not have. */
  Optional<Status> status(String exercise) {
    Status s = latest.get(exercise);
    if (s != null) {
      return Optional.of(s);
    }
    if (ws.exercises().find(exercise).isEmpty()) {
      return Optional.empty();
    }
    String word = ws.progress().status(exercise);
    return Optional.of(new Status(exercise, word, summaryOf(word), List.of(), 0, 0));
  }

  /** Asks for a grade of {@code exercise} now (the answer comes to the listener). */
  void gradeNow(String exercise) {
    requested.add(exercise);
  }

  /**
   * A fresh grade of {@code exercise}, by the watch thread like every other (the grader redirects
   * {@code System.out}, so two at once would mix up their output): the caller waits, holding nothing.
   */
  java.util.concurrent.CompletableFuture<Status> grade(String exercise) {
    var f = waiting.computeIfAbsent(exercise, k -> new java.util.concurrent.CompletableFuture<>());
    requested.add(exercise);
    return f;
  }

  private void loop() {
    Map<String, Long> seen = new HashMap<>();
    boolean first = true;
    while (!closed) {
      List<Exercise> toGrade = new ArrayList<>();
      try {
        for (Exercise e : ws.exercises().exercises()) {
          long now = ws.exercises().fingerprint(e);
          Long before = seen.put(e.name(), now);
          if (!first && (before == null || before != now)) {
            toGrade.add(e);
          }
        }
        if (first) {
          first = false;
          warmUp(); // after the first fingerprints: a save while it runs is graded by the next round
        }
        String asked;
        while ((asked = requested.poll()) != null) {
          String name = asked;
          ws.exercises().find(name).filter(e -> !toGrade.contains(e)).ifPresent(toGrade::add);
        }
        for (Exercise e : toGrade) {
          // The fingerprint taken before grading stays: a save while it grades differs, so it is graded next round.
          grade(e);
        }
      } catch (RuntimeException e) {
        // a folder vanished mid-listing, say: the next round sees the settled state
      }
      try {
        String asked = requested.poll(poll.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (asked != null) {
          requested.add(asked);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Grades the first exercise's reference solution once, unrecorded, before watching: the first grade
   * in a JVM pays for loading and compiling the compiler, JUnit and the model checker (3 s of a learner's
   * first save, 1 s of the next ones, measured by learn-cli/bench/book-bench.sh), so the learner's first
   * save should not. Runs on the watch thread after the first round has taken the files' fingerprints, so it
   * never overlaps a real grade, and a save meanwhile differs from them and is graded next.
   */
  private void warmUp() {
    try {
      ws.exercises().exercises().stream().findFirst()
          .ifPresent(e -> ws.grader().grade(e, dev.sharedstate.learn.exercises.Grader.Target.REFERENCE));
    } catch (RuntimeException | LinkageError e) {
      // only a warm-up: the real grades report whatever this would have met
    }
  }

  private void grade(Exercise e) {
    long t0 = System.nanoTime();
    Grade g;
    try {
      g = ws.gradeAndRecord(e);
    } catch (Exception ex) {
      g = new Grade.Failed(0, 0, List.of("could not grade: " + ex));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Status s = status(e.name(), g, ms);
    latest.put(e.name(), s);
    var f = waiting.remove(e.name());
    if (f != null) {
      f.complete(s);
    }
    listener.accept(s);
  }

  static Status status(String exercise, Grade g, long ms) {
    long at = System.currentTimeMillis();
    return switch (g) {
      case Grade.Passed p -> new Status(exercise, "passed", "passed: all " + p.tests() + " tests", List.of(), at, ms);
      case Grade.NotStarted n -> new Status(exercise, "not-started", "not started: " + n.why(), List.of(), at, ms);
      case Grade.Failed f -> new Status(exercise, "failed",
          "failed: " + f.passed() + " of " + f.total() + " tests pass", first(f.failures(), 10), at, ms);
      case Grade.CompileError c -> new Status(exercise, "failed", "does not compile", first(c.diagnostics(), 10), at,
          ms);
      case Grade.TimedOut t -> new Status(exercise, "failed",
          "timed out after " + t.seconds() + " s: a deadlock or a lost wake-up? The stuck threads:",
          List.of(t.stacks()), at, ms);
    };
  }

  private static List<String> first(List<String> l, int n) {
    return l.size() <= n ? List.copyOf(l) : List.copyOf(l.subList(0, n));
  }

  private static String summaryOf(String status) {
    return switch (status) {
      case "passed" -> "passed";
      case "failed" -> "failed the last time it was graded";
      default -> "not started";
    };
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
