package dev.sharedstate.learn;

import dev.sharedstate.learn.exercises.Exercise;
import dev.sharedstate.learn.exercises.Grade;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;

/**
 * {@code ./learn watch}: grades the current exercise (the first not passed), re-grades whenever one of its
 * files changes, and moves on when it passes. Interactive: redraws in place, keys h/l/q, raw mode restored
 * on every exit path including Ctrl-C. Plain (CI or no TTY): prints each grade once, reads keys as lines only
 * when some are already waiting, so it never blocks on input.
 */
final class Watch {
  private final Workspace ws;
  private final Io io;
  private final long pollMs;
  private final AtomicBoolean quit = new AtomicBoolean();
  private String message = "";

  Watch(Workspace ws, Io io, long pollMs) {
    this.ws = ws;
    this.io = io;
    this.pollMs = Math.max(20, pollMs);
  }

  int run() throws IOException, InterruptedException {
    if (ws.exercises().exercises().isEmpty()) {
      io.err().println("learn: no exercises found under " + ws.root().resolve("exercises"));
      return 2;
    }
    if (!io.interactive()) {
      return loop(null);
    }
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    Attributes saved = terminal.enterRawMode();
    terminal.handle(Terminal.Signal.INT, s -> quit.set(true));
    var restore = new Thread(() -> restore(terminal, saved));
    Runtime.getRuntime().addShutdownHook(restore);
    try {
      terminal.writer().print("\u001b[?25l"); // hide the cursor while redrawing
      return loop(terminal);
    } finally {
      restore(terminal, saved);
      try {
        Runtime.getRuntime().removeShutdownHook(restore);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
      terminal.close();
    }
  }

  private static void restore(Terminal terminal, Attributes saved) {
    terminal.setAttributes(saved);
    terminal.writer().print("\u001b[?25h\n");
    terminal.writer().flush();
  }

  private Optional<Exercise> current() {
    var p = ws.progress();
    return ws.exercises().exercises().stream().filter(e -> !p.status(e.name()).equals("passed")).findFirst();
  }

  private int loop(Terminal terminal) throws IOException, InterruptedException {
    NonBlockingReader keys = terminal == null ? null : terminal.reader();
    var exercise = current();
    long seen = -1;
    Grade grade = null;
    while (!quit.get()) {
      if (exercise.isEmpty()) {
        show(terminal, "All exercises pass. Well done! Next: ./learn check on your own code.", null, null);
        return 0;
      }
      var e = exercise.get();
      long now = ws.exercises().fingerprint(e);
      if (now != seen) {
        seen = now;
        show(terminal, null, e, null);
        long t0 = System.nanoTime();
        grade = ws.gradeAndRecord(e);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        show(terminal, null, e, grade);
        if (terminal == null) {
          io.out().println("(graded in " + ms + " ms)");
          io.out().flush();
        }
        if (grade instanceof Grade.Passed) {
          var next = current();
          if (next.isPresent()) {
            message = e.name() + " passes! Moving on to " + next.get().name() + ".";
            exercise = next;
            seen = -1;
            continue;
          }
          exercise = next;
          continue;
        }
      }
      int key = readKey(keys);
      switch (key) {
        case 'q', 'Q', 3 -> quit.set(true);
        case 'h', 'H' -> {
          message = hint(e);
          show(terminal, null, e, grade);
        }
        case 'l', 'L' -> {
          message = list();
          show(terminal, null, e, grade);
        }
        default -> {
          // no key: keep polling
        }
      }
    }
    if (terminal == null) {
      io.out().println("Stopped watching.");
    }
    return 0;
  }

  private int readKey(NonBlockingReader keys) throws IOException, InterruptedException {
    if (keys != null) {
      int c = keys.read(pollMs);
      return c < 0 ? 0 : c;
    }
    if (io.in().ready()) {
      var line = io.in().readLine();
      return line == null || line.isBlank() ? 0 : line.strip().charAt(0);
    }
    Thread.sleep(pollMs);
    return 0;
  }

  private String hint(Exercise e) throws IOException {
    var out = new StringWriter();
    var sub = new Io(new PrintWriter(out), io.err(), io.in(), false, io.width(), io.height());
    Learn.run(new String[] {"hint", e.name()}, ws, sub);
    return out.toString().strip();
  }

  private String list() {
    var out = new StringWriter();
    var sub = new Io(new PrintWriter(out), io.err(), io.in(), false, io.width(), io.height());
    Learn.run(new String[] {"list"}, ws, sub);
    return out.toString().strip();
  }

  private void show(Terminal terminal, String text, Exercise e, Grade grade) {
    var sb = new StringBuilder();
    if (text != null) {
      sb.append(text).append('\n');
    } else if (grade == null) {
      sb.append("Watching ").append(e.name()).append(": grading...\n");
    } else {
      sb.append(Report.grade(e, grade, terminal != null, true));
    }
    if (terminal == null) {
      if (!message.isEmpty()) {
        io.out().println(message);
        message = "";
      }
      io.out().print(sb);
      io.out().flush();
      return;
    }
    var w = terminal.writer();
    w.print("\u001b[H\u001b[2J");
    w.print("./learn watch: " + (e == null ? "" : e.name() + "  (edit " + ws.root().relativize(e.starterRoot()) + ")")
        + "\r\n\r\n");
    w.print(sb.toString().replace("\n", "\r\n"));
    if (!message.isEmpty()) {
      w.print("\r\n" + message.replace("\n", "\r\n") + "\r\n");
    }
    w.print("\r\n\u001b[2m[h] hint  [l] list  [q] quit   (re-grades when you save)\u001b[0m\r\n");
    w.flush();
  }
}
