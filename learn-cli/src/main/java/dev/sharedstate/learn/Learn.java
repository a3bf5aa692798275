package dev.sharedstate.learn;

import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.markdown.Mode;
import dev.sharedstate.chapters.run.BlockResult;
import dev.sharedstate.chapters.run.RunOptions;
import dev.sharedstate.chapters.run.SuiteRun;
import dev.sharedstate.learn.chapters.Chapter;
import dev.sharedstate.learn.chapters.TerminalMarkdown;
import dev.sharedstate.learn.exercises.Exercise;
import dev.sharedstate.learn.exercises.Grade;
import dev.sharedstate.learn.exercises.Grader;
import dev.sharedstate.lockcheck.Lockcheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./learn}: the tutorial's front door. Exit codes: 0 success (or all graded exercises pass),
 * 1 an exercise fails / lockcheck found something, 2 bad input (unknown name, missing confirmation).
 */
@Command(name = "learn", mixinStandardHelpOptions = true, version = "learn 0.1",
    description = "The interactive tutorial: where you are, what to do next, your exercises graded as you save.",
    subcommands = {Learn.ListCmd.class, Learn.Read.class, Learn.Verify.class, Learn.Hint.class,
        Learn.Solution.class, Learn.Reset.class, Learn.Check.class, Learn.WatchCmd.class, Learn.Run.class,
        Learn.JShellCmd.class, Learn.Server.class, BookCmd.class})
public final class Learn implements Callable<Integer> {
  final Workspace ws;
  final Io io;

  Learn(Workspace ws, Io io) {
    this.ws = ws;
    this.io = io;
  }

  /** Runs a command line against a workspace with injected streams; returns the exit code. */
  public static int run(String[] args, Workspace ws, Io io) {
    var cmd = new CommandLine(new Learn(ws, io), new Factory(ws, io));
    cmd.setOut(io.out()).setErr(io.err());
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(
        io.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
      io.err().println("learn: " + ex);
      return 2;
    });
    int rc = cmd.execute(args);
    io.out().flush();
    io.err().flush();
    return rc;
  }

  /** Wires the real process: System streams, TTY facts from the launcher, the checkout it runs in. */
  public static int runFromSystem(String[] args) {
    var env = System.getenv();
    boolean ci = "true".equalsIgnoreCase(env.getOrDefault("CI", ""));
    boolean tty = env.containsKey("LEARN_TTY") ? "1".equals(env.get("LEARN_TTY")) : System.console() != null;
    int rows = 24;
    int cols = 80;
    var size = env.getOrDefault("LEARN_SIZE", "").strip().split("\\s+");
    if (size.length == 2 && size[0].matches("\\d+") && size[1].matches("\\d+")) {
      rows = Integer.parseInt(size[0]);
      cols = Integer.parseInt(size[1]);
    }
    var io = new Io(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), tty && !ci, cols, rows);
    var root = Workspace.findRoot(Path.of(""), env.get("LEARN_ROOT"));
    return run(args, Workspace.at(root), io);
  }

  /** Gives every subcommand the workspace and streams. */
  private record Factory(Workspace ws, Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (Sub.class.isAssignableFrom(cls)) {
        var c = cls.getDeclaredConstructor();
        c.setAccessible(true);
        var k = c.newInstance();
        ((Sub) k).ws = ws;
        ((Sub) k).io = io;
        return k;
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** Common base of subcommands: the injected workspace and streams, and name resolution. */
  abstract static class Sub implements Callable<Integer> {
    Workspace ws;
    Io io;

    Optional<Chapter> chapter(String name) {
      var c = ws.chapters().find(name);
      if (c.isEmpty()) {
        io.err().println("learn: no chapter '" + name + "'; valid: " + ws.chapterNames());
      }
      return c;
    }

    Optional<Exercise> exercise(String name) {
      var e = ws.exercises().find(name);
      if (e.isEmpty()) {
        io.err().println("learn: no exercise '" + name + "'; valid: " + ws.exerciseNames());
      }
      return e;
    }

    String style(String sgr, String text) {
      return io.color() ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }
  }

  // ---- ./learn (no subcommand) ----------------------------------------------------------------------------

  @Override
  public Integer call() throws IOException {
    var p = ws.progress();
    var chapters = ws.chapters().chapters();
    var exercises = ws.exercises().exercises();
    var out = io.out();
    out.println("Shared State, in Java: how threads share state safely.");
    if (chapters.isEmpty() && exercises.isEmpty()) {
      io.err().println("learn: no chapters or exercises under " + ws.root()
          + "; run ./learn from the repository root (or set LEARN_ROOT to it)");
      return 2;
    }
    out.println();
    long read = chapters.stream().filter(c -> p.isRead(c.number())).count();
    long passed = exercises.stream().filter(e -> p.status(e.name()).equals("passed")).count();
    long failed = exercises.stream().filter(e -> p.status(e.name()).equals("failed")).count();
    out.printf("  chapters read     %s %d/%d%n", bar(read, chapters.size()), read, chapters.size());
    out.printf("  exercises passed  %s %d/%d  (%d failing, %d not started)%n", bar(passed, exercises.size()),
        passed, exercises.size(), failed, exercises.size() - passed - failed);
    out.println();
    out.println("Next: " + nextStep());
    out.println("(all commands: ./learn --help)");
    return 0;
  }

  private String bar(long done, long total) {
    int w = 20;
    int filled = total == 0 ? 0 : (int) (done * w / total);
    var s = "█".repeat(filled);
    var rest = "░".repeat(w - filled);
    return io.color() ? "\u001b[32m" + s + "\u001b[2m" + rest + "\u001b[0m" : "[" + "#".repeat(filled) + "-".repeat(w - filled) + "]";
  }

  /** The one next step: the chapter an exercise needs if unread, else that exercise, else what is left. */
  String nextStep() {
    var p = ws.progress();
    var next = ws.exercises().exercises().stream().filter(e -> !p.status(e.name()).equals("passed")).findFirst();
    if (next.isPresent()) {
      var e = next.get();
      var unreadBefore = ws.chapters().chapters().stream()
          .filter(c -> !p.isRead(c.number()))
          .filter(c -> ws.chapterOf(e).map(need -> c.number() <= need.number()).orElse(false))
          .findFirst();
      if (unreadBefore.isPresent()) {
        var c = unreadBefore.get();
        return "read chapter " + c.number() + " (" + c.slug().replace('-', ' ') + "):  ./learn read " + c.number();
      }
      var file = e.starterFiles().stream().findFirst().map(f -> ws.root().relativize(e.starterRoot().resolve(f)))
          .map(Path::toString).orElse(ws.root().relativize(e.dir()).toString());
      return "solve " + e.name() + ": edit " + file + " (goal in " + ws.root().relativize(e.readme())
          + "), then run  ./learn watch";
    }
    var unread = ws.chapters().chapters().stream().filter(c -> !p.isRead(c.number())).findFirst();
    if (unread.isPresent()) {
      return "read chapter " + unread.get().number() + ":  ./learn read " + unread.get().number();
    }
    return "all done! Run lockcheck on your own code:  ./learn check PATH";
  }

  // ---- list ----------------------------------------------------------------------------------------------

  @Command(name = "list", description = "Chapters and exercises with their status.")
  static final class ListCmd extends Sub {
    @Override
    public Integer call() {
      var p = ws.progress();
      io.out().println("Chapters:");
      for (var c : ws.chapters().chapters()) {
        io.out().printf("  %s %d  %s%n", p.isRead(c.number()) ? style("32", "✓") : " ", c.number(),
            ws.chapters().title(c));
      }
      io.out().println("Exercises:");
      for (var e : ws.exercises().exercises()) {
        var status = p.status(e.name());
        var mark = switch (status) {
          case "passed" -> style("32", "passed     ");
          case "failed" -> style("31", "failed     ");
          default -> style("2", "not started");
        };
        io.out().printf("  %s  %s%n", mark, e.name());
      }
      return 0;
    }
  }

  // ---- read N --------------------------------------------------------------------------------------------

  @Command(name = "read", description = "Show chapter N, rendered for the terminal (paged when long).")
  static final class Read extends Sub {
    @Parameters(paramLabel = "N", description = "chapter number or name")
    String name;

    @Override
    public Integer call() throws IOException, InterruptedException {
      var c = chapter(name);
      if (c.isEmpty()) {
        return 2;
      }
      var text = new TerminalMarkdown(io.color(), Math.min(io.width(), 100)).render(ws.chapters().markdown(c.get()));
      if (io.interactive() && text.lines().count() > io.height() - 1 && page(text)) {
        // shown by the pager
      } else {
        io.out().print(text);
        io.out().flush();
      }
      var p = ws.progress();
      p.markRead(c.get().number());
      p.save();
      return 0;
    }

    private boolean page(String text) throws InterruptedException {
      try {
        var pb = new ProcessBuilder("less", "-R", "-F", "-X").redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        var proc = pb.start();
        try (var w = proc.getOutputStream()) {
          w.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException quitEarly) {
          // the reader quit the pager before the end
        }
        proc.waitFor();
        return true;
      } catch (IOException noPager) {
        return false;
      }
    }
  }

  // ---- verify [EX] ---------------------------------------------------------------------------------------

  @Command(name = "verify", description = "Grade one exercise, or all of them, with the same tests mvn test runs.")
  static final class Verify extends Sub {
    @Parameters(paramLabel = "EX", arity = "0..1", description = "exercise (default: all)")
    String name;

    @Override
    public Integer call() throws IOException {
      List<Exercise> targets;
      if (name == null) {
        targets = ws.exercises().exercises();
      } else {
        var e = exercise(name);
        if (e.isEmpty()) {
          return 2;
        }
        targets = List.of(e.get());
      }
      boolean allPassed = true;
      for (var e : targets) {
        var g = ws.gradeAndRecord(e);
        io.out().print(Report.grade(e, g, io.color(), name != null));
        allPassed &= g instanceof Grade.Passed;
      }
      return allPassed ? 0 : 1;
    }
  }

  // ---- hint EX -------------------------------------------------------------------------------------------

  @Command(name = "hint", description = "The next hint for an exercise (one more each time).")
  static final class Hint extends Sub {
    @Parameters(paramLabel = "EX")
    String name;

    @Override
    public Integer call() throws IOException {
      var e = exercise(name);
      if (e.isEmpty()) {
        return 2;
      }
      var hints = ws.exercises().hints(e.get());
      var p = ws.progress();
      int given = p.hintsGiven(e.get().name());
      if (hints.isEmpty()) {
        io.out().println("No hints for " + e.get().name() + "; its goal is in " + ws.root().relativize(e.get().readme()));
        return 0;
      }
      if (given >= hints.size()) {
        io.out().println("No more hints for " + e.get().name() + " (all " + hints.size() + " shown). Here they are again:");
        for (int i = 0; i < hints.size(); i++) {
          io.out().printf("%nHint %d/%d:%n%s%n", i + 1, hints.size(), hints.get(i));
        }
        io.out().println("\nStill stuck? ./learn solution " + e.get().name() + " --give-up");
        return 0;
      }
      io.out().printf("Hint %d/%d for %s:%n%s%n", given + 1, hints.size(), e.get().name(), hints.get(given));
      if (given + 1 < hints.size()) {
        io.out().println("(another one: ./learn hint " + e.get().name() + ")");
      } else {
        io.out().println("(that was the last hint)");
      }
      p.setHintsGiven(e.get().name(), given + 1);
      p.save();
      return 0;
    }
  }

  // ---- solution EX ---------------------------------------------------------------------------------------

  @Command(name = "solution", description = "The reference solution, once your exercise passes (or with --give-up).")
  static final class Solution extends Sub {
    @Parameters(paramLabel = "EX")
    String name;

    @Option(names = "--give-up", description = "show it even though the exercise does not pass yet")
    boolean giveUp;

    @Override
    public Integer call() throws IOException {
      var e = exercise(name);
      if (e.isEmpty()) {
        return 2;
      }
      var ex = e.get();
      if (!giveUp && !ws.progress().status(ex.name()).equals("passed")) {
        var g = ws.gradeAndRecord(ex);
        if (!(g instanceof Grade.Passed)) {
          io.err().println("learn: " + ex.name() + " does not pass yet, so the solution stays hidden. Try ./learn hint "
              + ex.name() + ", or see it anyway: ./learn solution " + ex.name() + " --give-up");
          return 1;
        }
      }
      var files = ws.exercises().exercises().isEmpty() ? List.<Path>of() : javaFiles(ex.referenceRoot());
      if (files.isEmpty()) {
        io.err().println("learn: " + ex.name() + " has no reference solution under " + ws.root().relativize(ex.referenceRoot()));
        return 2;
      }
      for (var f : files) {
        io.out().println(style("1", "// " + ws.root().relativize(f)));
        for (var line : TerminalMarkdown.visibleLines(Files.readString(f))) {
          io.out().println(io.color() ? new TerminalMarkdown(true, io.width()).render("```java\n" + line + "\n```").stripTrailing().replaceFirst("^    ", "") : line);
        }
        io.out().println();
      }
      return 0;
    }

    static List<Path> javaFiles(Path root) throws IOException {
      if (!Files.isDirectory(root)) {
        return List.of();
      }
      try (var w = Files.walk(root)) {
        return w.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
    }
  }

  // ---- reset EX | --all ----------------------------------------------------------------------------------

  @Command(name = "reset", description = "Restore the starter of an exercise (or all), keeping a backup of yours.")
  static final class Reset extends Sub {
    @Parameters(paramLabel = "EX", arity = "0..1")
    String name;

    @Option(names = "--all", description = "reset every exercise")
    boolean all;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation (needed when not interactive)")
    boolean yes;

    @Override
    public Integer call() throws IOException {
      if ((name == null) == !all) {
        io.err().println("learn: say which exercise to reset (./learn reset EX) or --all; valid: " + ws.exerciseNames());
        return 2;
      }
      List<Exercise> targets;
      if (all) {
        targets = ws.exercises().exercises();
      } else {
        var e = exercise(name);
        if (e.isEmpty()) {
          return 2;
        }
        targets = List.of(e.get());
      }
      var what = all ? "all " + targets.size() + " exercises" : targets.get(0).name();
      if (!yes) {
        if (!io.interactive()) {
          io.err().println("learn: reset " + what + " needs confirmation; not interactive, so add --yes");
          return 2;
        }
        io.out().print("Reset " + what + " to the starter? Your version is backed up under .learn/backup/. [y/N] ");
        io.out().flush();
        var answer = io.in().readLine();
        if (answer == null || !answer.strip().toLowerCase().startsWith("y")) {
          io.out().println("Nothing changed.");
          return 0;
        }
      }
      var backup = ws.stateDir().resolve("backup")
          .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
      int restored = 0;
      var missing = new ArrayList<String>();
      for (var e : targets) {
        // The learner may have deleted a starter file: the reference's file list names it too.
        var rels = new java.util.TreeSet<Path>(e.starterFiles());
        for (var ref : Solution.javaFiles(e.referenceRoot())) {
          rels.add(e.referenceRoot().relativize(ref));
        }
        for (var rel : rels) {
          var file = e.starterRoot().resolve(rel);
          var pristine = ws.exercises().pristineStarter(e, rel);
          boolean exists = Files.exists(file);
          if (exists) {
            var dest = backup.resolve(ws.root().relativize(file));
            Files.createDirectories(dest.getParent());
            Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
          }
          if (pristine.isEmpty()) {
            if (exists) {
              missing.add(ws.root().relativize(file).toString());
            }
            continue;
          }
          if (!exists || !pristine.get().equals(Files.readString(file))) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pristine.get());
            restored++;
          }
        }
        var p = ws.progress();
        p.setStatus(e.name(), "not-started");
        p.save();
      }
      io.out().printf("Reset %s: %d file(s) restored; your version is in %s%n", what, restored, ws.root().relativize(backup));
      if (!missing.isEmpty()) {
        io.err().println("learn: kept (not in git, no starter to restore): " + String.join(", ", missing));
      }
      return 0;
    }
  }

  // ---- check [PATH] --------------------------------------------------------------------------------------

  @Command(name = "check", description = "Run lockcheck on your code (default: the exercises) and explain each finding.")
  static final class Check extends Sub {
    @Parameters(paramLabel = "PATH", arity = "0..*")
    List<Path> paths;

    @Override
    public Integer call() {
      var targets = new ArrayList<Path>();
      if (paths == null || paths.isEmpty()) {
        ws.exercises().exercises().stream().map(Exercise::starterRoot).filter(Files::isDirectory).forEach(targets::add);
      } else {
        for (var p : paths) {
          var abs = p.isAbsolute() ? p : ws.root().resolve(p);
          if (!Files.exists(abs)) {
            io.err().println("learn: no such file or folder: " + p);
            return 2;
          }
          targets.add(abs);
        }
      }
      var result = Lockcheck.withDefaults().check(targets);
      for (var problem : result.problems()) {
        io.err().printf("%s:%d:%d: could not check: %s%n", rel(problem.file()), problem.line(), problem.column(), problem.reason());
      }
      var findings = result.reported();
      for (var f : findings) {
        io.out().printf("%s:%d:%d: %s [%s]%n", rel(f.file()), f.line(), f.column(), style("1", f.message()), f.ruleId());
        if (!f.why().isBlank()) {
          io.out().println("  why: " + f.why());
        }
        io.out().println("  learn more: " + Explanations.forRule(ws, f.ruleId()));
      }
      io.out().printf("%d finding(s) in %d file(s) checked.%n", findings.size(), result.filesChecked());
      return result.exitCode();
    }

    private String rel(Path p) {
      var abs = p.toAbsolutePath();
      return abs.startsWith(ws.root()) ? ws.root().relativize(abs).toString() : p.toString();
    }
  }

  // ---- watch ---------------------------------------------------------------------------------------------

  @Command(name = "watch", description = "Re-grade the current exercise on every save; keys: h hint, l list, q quit.")
  static final class WatchCmd extends Sub {
    @Option(names = "--poll-ms", defaultValue = "100", hidden = true)
    long pollMs;

    @Override
    public Integer call() throws Exception {
      return new Watch(ws, io, pollMs).run();
    }
  }

  // ---- run N ---------------------------------------------------------------------------------------------

  @Command(name = "run", description = "Run chapter N's snippets, showing each with its output or error.")
  static final class Run extends Sub {
    @Parameters(paramLabel = "N")
    String name;

    @Override
    public Integer call() throws IOException {
      var c = chapter(name);
      if (c.isEmpty()) {
        return 2;
      }
      return runChapter(c.get().file(), io);
    }
  }

  /**
   * Runs a chapter with the chapters module's own runner (a remote JShell, per-snippet timeouts, the
   * same checks {@code mvn test} makes) and shows each snippet with what it printed or why it failed.
   */
  static int runChapter(Path file, Io io) {
    var chapter = new ChapterParser().parse(file);
    int failed = 0;
    for (var p : chapter.problems()) {
      io.out().println("✗ " + p);
      failed++;
    }
    var blocks = chapter.blocks();
    try (var run = SuiteRun.start(List.of(chapter),
        RunOptions.defaults())) {
      int n = 0;
      for (var block : blocks) {
        n++;
        io.out().println((io.color() ? "\u001b[1m" : "") + "── snippet " + n + "/" + blocks.size() + "  "
            + block.location() + (io.color() ? "\u001b[0m" : ""));
        block.visibleText().lines().forEach(l -> io.out().println("  " + l));
        io.out().flush();
        BlockResult r;
        try {
          r = run.await(block);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 1;
        }
        switch (r) {
          case BlockResult.Passed p -> {
            if (block.mode() instanceof Mode.LockcheckFail) {
              io.out().println("  (not run: this is the bug, and lockcheck flags it as the chapter says; see ./learn check)");
            }
            p.stdout().lines().forEach(l -> io.out().println("  → " + l));
          }
          case BlockResult.Skipped s -> io.out().println("  (skipped: " + s.reason() + ")");
          case BlockResult.Failed f -> {
            failed++;
            f.stdout().lines().forEach(l -> io.out().println("  → " + l));
            f.message().lines().forEach(l -> io.out().println("  ✗ " + l));
          }
        }
        io.out().println();
      }
    }
    io.out().println(blocks.size() + " snippet(s), " + failed + " failed.");
    return failed == 0 ? 0 : 1;
  }

  // ---- jshell N ------------------------------------------------------------------------------------------

  @Command(name = "jshell", description = "The interactive jshell with chapter N's snippets already loaded.")
  static final class JShellCmd extends Sub {
    @Parameters(paramLabel = "N")
    String name;

    @Override
    public Integer call() throws IOException, InterruptedException {
      var c = chapter(name);
      if (c.isEmpty()) {
        return 2;
      }
      var script = Files.createTempFile("learn-ch" + c.get().number(), ".jsh");
      // The blocks the chapters runner executes, as it executes them (hidden setup lines included).
      var loadable = new ChapterParser().parse(c.get().file()).blocks().stream()
          .filter(b -> b.mode() instanceof Mode.Run).map(b -> b.fullText()).toList();
      Files.writeString(script, String.join("\n", loadable) + "\n");
      var jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
      var cmd = List.of(jshell.toString(), "--class-path", classPath(ws), "DEFAULT", script.toString());
      if (!io.interactive()) {
        io.err().println("learn: jshell needs a terminal; to try it by hand: " + String.join(" ", cmd));
        return 2;
      }
      io.out().println("jshell with chapter " + c.get().number() + "'s snippets loaded (/list to see them, /exit to leave)");
      io.out().flush();
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
  }

  /** What snippets see: this tool's class path plus the exercises' compiled classes, when built. */
  static String classPath(Workspace ws) {
    return classPath(ws.root());
  }

  static String classPath(Path root) {
    var cp = System.getProperty("java.class.path");
    var classes = root.resolve("exercises/target/classes");
    return Files.isDirectory(classes) ? cp + java.io.File.pathSeparator + classes : cp;
  }

  // ---- server --------------------------------------------------------------------------------------------

  /** SIGTERM to a process and its descendants (a build it runs), then SIGKILL to what is left after 5 s. */
  static void stopTree(Process process) {
    var all = new ArrayList<ProcessHandle>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  @Command(name = "server", description = "Start the key-value server backed by your store (or --reference), for redis-cli.")
  static final class Server extends Sub {
    @Parameters(paramLabel = "EX", arity = "0..1")
    String name;

    @Option(names = "--reference", description = "Serve the reference solution instead of your code.")
    boolean reference;

    @Option(names = "--port", description = "Port to listen on (default 6379).")
    Integer port;

    @Override
    public Integer call() {
      if (name != null && exercise(name).isEmpty()) {
        return 2;
      }
      // exercises/server compiles the learner's current code first, so the server runs what is on disk.
      var ex = name == null ? "ex01" : exercise(name).get().name().substring(0, 4);
      var script = ws.root().resolve("exercises/server");
      if (!Files.isExecutable(script)) {
        io.err().println("learn: no exercises/server script in this checkout (" + script + "); restore it with: git checkout -- exercises/server");
        return 2;
      }
      var cmd = new ArrayList<String>(List.of(script.toString(), ex));
      if (reference) {
        cmd.add("--reference");
      }
      if (port != null) {
        cmd.addAll(List.of("--port", port.toString()));
      }
      // The server prints the address it really listens on (with --port 0, the port it was given).
      io.out().println("learn: starting " + (reference ? "the reference" : "your") + " " + ex
          + " server (Ctrl-C stops it)...");
      io.out().flush();
      try {
        Process server = new ProcessBuilder(cmd).directory(ws.root().toFile()).inheritIO().start();
        // A SIGTERM or SIGHUP to this JVM (an IDE's stop button, kill, a closed terminal) runs shutdown
        // hooks but does not reach the child: stop it here, or it is orphaned still holding the port.
        Thread stopServer = new Thread(() -> stopTree(server));
        Runtime.getRuntime().addShutdownHook(stopServer);
        try {
          return server.waitFor();
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(stopServer);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running: it stops the server
          }
        }
      } catch (IOException e) {
        io.err().println("learn: could not start " + cmd.get(0) + ": " + e.getMessage());
        return 2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 130;
      }
    }
  }
}
