package dev.sharedstate.lockcheck.cli;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Lockcheck;
import dev.sharedstate.lockcheck.baseline.Baseline;
import dev.sharedstate.lockcheck.baseline.Fingerprint;
import dev.sharedstate.lockcheck.blocking.Catalogue;
import dev.sharedstate.lockcheck.config.ConfigFile;
import dev.sharedstate.lockcheck.config.PomRelease;
import dev.sharedstate.lockcheck.config.ProjectConfig;
import dev.sharedstate.lockcheck.report.JsonReport;
import dev.sharedstate.lockcheck.report.Rule;
import dev.sharedstate.lockcheck.report.SarifReport;
import dev.sharedstate.lockcheck.report.SourceLines;
import dev.sharedstate.lockcheck.report.TextReport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code lockcheck} command. {@link #run} takes its output streams and returns the exit code, so
 * tests drive it with string writers; only {@link Main} touches the process.
 */
@Command(
    name = "lockcheck",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Flags a lock held across a blocking call: a synchronized block or method, or a",
      "java.util.concurrent lock, held while the thread joins a future, sleeps, takes from a",
      "queue, awaits a latch, ... PATHs are .java files or directories (searched recursively)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no findings",
      "1:findings (suppressed ones do not count)",
      "2:usage error, or some input could not be analysed (findings are still reported)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./lockcheck src/main/java",
      "  ./lockcheck --format sarif --output lockcheck.sarif .",
      "  ./lockcheck --explain lock-held-across-blocking-call",
      "  ./lockcheck --write-baseline base.json src   # accept today's findings",
      "  ./lockcheck --baseline base.json src         # then fail only on new ones",
      "  ./lockcheck --release 21 src                 # also report virtual-thread pinning",
      "",
      "Silence one finding with @SuppressWarnings(\"lock-held-across-blocking-call\") (or \"lockcheck\")",
      "on the method, class, field or local variable. Rule pages: checker/docs/rules/<id>.md",
      "",
      "virtual-thread-pinning is reported only for a target release of 21-23:",
      "JDK 24+ no longer pins in synchronized (JEP 491); before 21, no virtual threads.",
      "Project config: lockcheck.yaml, see checker/docs/config.md.",
      "Baselines: checker/docs/baseline.md."
    })
public final class Cli implements Callable<Integer> {

  /** Exit codes: a small contract, never a count. */
  public static final int OK = 0;
  public static final int FINDINGS = 1;
  public static final int USAGE_OR_INPUT = 2;

  enum Format { text, json, sarif }

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files and directories to check.")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--explain", paramLabel = "RULE", description = "Print the documentation page of RULE and exit.")
  String explain;

  @Option(names = "--list-rules", description = "List the rule ids and exit.")
  boolean listRules;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "PATHS", split = "${sys:path.separator}",
      description = "Jars and class folders the checked code uses, to resolve its types (never run).")
  List<Path> classpath = new ArrayList<>();

  @Option(names = "--catalogue", paramLabel = "FILE",
      description = "Extra blocking methods and immediate callers, in the catalogue's JSON format "
          + "(see checker/docs/catalogue.md). Repeatable.")
  List<Path> catalogues = new ArrayList<>();

  @Option(names = "--immediate-caller", paramLabel = "[Owner#]method",
      description = "A method that runs the lambda passed to it at once (so its body runs under the "
          + "caller's locks), e.g. run or com.example.Locks#withLock. Repeatable.")
  List<String> immediateCallers = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "The project config (lock wrappers, lock/unlock pairs, blocking methods, immediate callers, "
          + "release, baseline; see checker/docs/config.md). Default: the first lockcheck.yaml found from the "
          + "first PATH upwards, stopping at the repository root (a directory with .git).")
  Path configFile;

  @Option(names = "--no-config", description = "Do not look for a lockcheck.yaml.")
  boolean noConfig;

  @Option(names = "--release", paramLabel = "N",
      description = "The Java release the code targets. With 21, 22 or 23, a blocking call or Object.wait() "
          + "inside synchronized is also reported as virtual-thread-pinning (JEP 491 fixed pinning in JDK 24; "
          + "before 21 there are no virtual threads). Default: the config's release, else the "
          + "maven.compiler.release (or the compiler plugin's <release>, maven.compiler.target/source) of the "
          + "nearest pom.xml above the first PATH, else unknown (no pinning findings).")
  Integer release;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Report (and fail on) only findings not in this baseline file; say how many it matched "
          + "and which of its entries no longer match anything (see checker/docs/baseline.md).")
  Path baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE",
      description = "Write every current finding to FILE as a baseline and exit 0 (2 if some input could "
          + "not be analysed); findings are matched later by rule, file, member, call and locks, not by line.")
  Path writeBaseline;

  @Option(names = "--no-color", description = "Never colour the text output (also: the NO_COLOR environment variable).")
  boolean noColor;

  @Option(names = "--no-daemon", description = "Run in a new JVM, not in the resident checker that ./lockcheck starts "
      + "for the current directory and reuses (also: LOCKCHECK_DAEMON=0; off when CI is set). "
      + "./lockcheck --stop-daemons stops them; see checker/docs/daemon.md.")
  boolean noDaemon;

  @Option(names = "--no-prefilter", description = "Parse every file and every method body, not only those that can matter (slower; same findings, and syntax errors anywhere are reported).")
  boolean noPrefilter;

  @Option(names = "--threads", paramLabel = "N", description = "Files analysed in parallel (default: all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--verbose", description = "Add stack traces to internal errors; say which lockcheck.yaml "
      + "and target release were used.")
  boolean verbose;

  private PrintWriter out;
  private PrintWriter err;
  private boolean colour;

  /** Runs the command; returns the exit code. Never calls System.exit. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, false);
  }

  /**
   * As {@link #run(String[], PrintWriter, PrintWriter)}; {@code colour} allows colour in the text report
   * (the caller decides: standard output is a terminal and {@code NO_COLOR} is unset).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, boolean colour) {
    Cli cli = new Cli();
    cli.out = out;
    cli.err = err;
    cli.colour = colour;
    int code = onlyPaths(args, cli.paths) ? cli.callDirectly() : cli.parseAndCall(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Nothing to parse: skips building picocli's command model, about 0.15 s of a cold start (its
   * classes, compiled for Java 5, cannot go into the start-up cache).
   */
  private int callDirectly() {
    try {
      return call();
    } catch (RuntimeException e) {
      return internalError(e);
    }
  }

  private int parseAndCall(String[] args) {
    CommandLine cmd = new CommandLine(this)
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, c, parsed) -> internalError(e));
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println("lockcheck: " + ex.getMessage());
      err.println("Try 'lockcheck --help' for the options.");
      return USAGE_OR_INPUT;
    });
    return cmd.execute(args);
  }

  /**
   * True, having added them to {@code paths}, when every argument is a PATH that picocli would take as
   * it is: not an option, not an {@code @argfile}, not {@code --} (so a PATH named {@code -x} still
   * goes through picocli), and a valid path.
   */
  static boolean onlyPaths(String[] args, List<Path> paths) {
    if (args.length == 0) {
      return false;
    }
    List<Path> given = new ArrayList<>(args.length);
    for (String a : args) {
      if (a.isEmpty() || a.startsWith("-") || a.startsWith("@")) {
        return false;
      }
      try {
        given.add(Path.of(a));
      } catch (java.nio.file.InvalidPathException e) {
        return false; // picocli says what is wrong with it
      }
    }
    paths.addAll(given);
    return true;
  }

  private int internalError(Exception e) {
    err.println("lockcheck: internal error: " + e);
    if (verbose) {
      e.printStackTrace(err);
    }
    return USAGE_OR_INPUT;
  }

  @Override
  public Integer call() {
    if (listRules) {
      for (Rule r : Rule.ALL) {
        out.println(r.id() + "  " + r.shortDescription());
      }
      return OK;
    }
    if (explain != null) {
      return explain(explain);
    }
    if (paths.isEmpty()) {
      err.println("lockcheck: no PATH given: name the .java files or directories to check");
      err.println("Try 'lockcheck --help' for the options.");
      return USAGE_OR_INPUT;
    }
    if (noConfig && configFile != null) {
      err.println("lockcheck: --config and --no-config contradict each other: give one");
      return USAGE_OR_INPUT;
    }
    if (release != null && (release < 1 || release > 99)) {
      err.println("lockcheck: --release " + release + " is not a Java release (e.g. --release 21)");
      return USAGE_OR_INPUT;
    }
    ProjectConfig config = null;
    try {
      Path file = noConfig ? null : configFile != null ? configFile : discoverConfig();
      config = file == null ? null : ProjectConfig.read(file);
    } catch (ProjectConfig.ConfigException e) {
      err.println("lockcheck: " + e.getMessage());
      return USAGE_OR_INPUT;
    }
    Lockcheck checker;
    try {
      checker = Lockcheck.withDefaults();
      if (config != null) {
        checker = config.applyTo(checker);
      }
      checker = checker
          .withCatalogue(catalogues, immediateCallers)
          .withClasspath(classpath)
          .withPrefilter(!noPrefilter)
          .withThreads(threads)
          .withVerbose(verbose)
          .withRelease(targetRelease(config));
    } catch (Catalogue.CatalogueException e) {
      err.println("lockcheck: " + e.getMessage());
      return USAGE_OR_INPUT;
    }
    if (baseline == null && config != null) {
      baseline = config.baseline();
    }
    for (Path cp : classpath) {
      if (!Files.exists(cp)) {
        err.println("lockcheck: --classpath entry does not exist: " + cp);
        return USAGE_OR_INPUT;
      }
    }
    Baseline accepted = null;
    if (baseline != null && writeBaseline == null) {
      try {
        accepted = Baseline.read(baseline);
      } catch (Baseline.BaselineException e) {
        err.println("lockcheck: " + e.getMessage());
        return USAGE_OR_INPUT;
      }
    }
    CheckResult result = checker.check(paths);
    if (writeBaseline != null) {
      return writeBaseline(result);
    }
    String baselineNote = null;
    JsonReport.BaselineSummary baselineSummary = null;
    if (accepted != null) {
      Baseline.Applied applied = accepted.apply(result);
      result = applied.result();
      baselineNote = baselineNote(applied);
      baselineSummary = new JsonReport.BaselineSummary(baseline.toString(), applied.matched(), applied.stale().size());
    }
    String version = new Version().getVersion()[0];
    String report = switch (format) {
      case json -> JsonReport.render(result, version, baselineSummary);
      case sarif -> SarifReport.render(result, version, Path.of(""), baselineSummary != null);
      case text -> {
        StringWriter sw = new StringWriter();
        TextReport text = new TextReport(colour && !noColor && output == null);
        PrintWriter target = new PrintWriter(sw);
        text.write(result, new SourceLines(), target, err);
        target.flush();
        yield sw.toString();
      }
    };
    if (format != Format.text) {
      TextReport plain = new TextReport(false);
      result.problems().forEach(p -> err.println(plain.problemLine(p)));
    }
    if (output != null) {
      try {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(output, report, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("lockcheck: cannot write " + output + ": " + e.getMessage());
        return USAGE_OR_INPUT;
      }
      if (format != Format.text) {
        err.println(TextReport.summary(result));
      }
    } else {
      out.print(report);
    }
    if (baselineNote != null) {
      (format == Format.text && output == null ? out : err).print(baselineNote);
    }
    out.flush();
    err.flush();
    return result.exitCode();
  }

  /** The first lockcheck.yaml above the PATHs (a note when PATHs have different ones). */
  private Path discoverConfig() {
    Path first = null;
    for (Path p : paths) {
      Path found = ConfigFile.discover(p).orElse(null);
      if (first == null) {
        first = found;
      } else if (found != null && !found.equals(first)) {
        err.println("lockcheck: note: the PATHs have different lockcheck.yaml files; using " + first
            + " (choose one with --config)");
        break;
      }
    }
    if (verbose && first != null) {
      err.println("lockcheck: config " + first);
    }
    return first;
  }

  /** --release, else the config's release, else the nearest pom.xml's, else 0 (unknown). */
  private int targetRelease(ProjectConfig config) {
    if (release != null) {
      return release;
    }
    if (config != null && config.release() != null) {
      return config.release();
    }
    var found = PomRelease.near(paths.get(0));
    if (verbose) {
      err.println("lockcheck: release " + found.map(f -> f.release() + " (" + f.what() + " in " + f.pom() + ")")
          .orElse("unknown (no --release, no release in the config, no pom.xml that says one)"));
    }
    return found.map(PomRelease.Found::release).orElse(0);
  }

  private int writeBaseline(CheckResult result) {
    Baseline b = Baseline.of(result, writeBaseline);
    TextReport plain = new TextReport(false);
    result.problems().forEach(p -> err.println(plain.problemLine(p)));
    try {
      b.write();
    } catch (IOException e) {
      err.println("lockcheck: cannot write the baseline " + writeBaseline + ": " + e.getMessage());
      return USAGE_OR_INPUT;
    }
    int n = b.entries().size();
    out.println("lockcheck: wrote " + n + (n == 1 ? " finding" : " findings") + " to the baseline " + writeBaseline
        + "; " + result.filesChecked() + (result.filesChecked() == 1 ? " file" : " files") + " checked"
        + (result.problems().isEmpty() ? "" : "; " + result.problems().size()
            + (result.problems().size() == 1 ? " input" : " inputs") + " not analysed, so the baseline may be incomplete"));
    return result.problems().isEmpty() ? OK : USAGE_OR_INPUT;
  }

  private String baselineNote(Baseline.Applied a) {
    StringBuilder sb = new StringBuilder("lockcheck: baseline " + baseline + ": " + a.matched()
        + (a.matched() == 1 ? " finding" : " findings") + " matched (not reported)\n");
    if (!a.stale().isEmpty()) {
      int n = a.stale().size();
      sb.append("lockcheck: baseline ").append(baseline).append(": ").append(n)
          .append(n == 1 ? " entry no longer matches" : " entries no longer match")
          .append(" any finding (fixed, or the code changed); shrink the baseline with --write-baseline ")
          .append(baseline).append(":\n");
      for (Fingerprint f : a.stale().subList(0, Math.min(20, n))) {
        sb.append("  ").append(f.file()).append(": ").append(f.member()).append(": `").append(f.code()).append("` [")
            .append(f.rule()).append("]\n");
      }
      if (n > 20) {
        sb.append("  ... and ").append(n - 20).append(" more\n");
      }
    }
    return sb.toString();
  }

  private int explain(String id) {
    var rule = Rule.byId(id);
    if (rule.isEmpty()) {
      err.println("lockcheck: unknown rule '" + id + "'. Rules: "
          + String.join(", ", Rule.ALL.stream().map(Rule::id).toList()));
      return USAGE_OR_INPUT;
    }
    out.print(rule.get().documentation());
    out.flush();
    return OK;
  }

  /** The version from the jar manifest (a development build says so). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Lockcheck.class.getPackage().getImplementationVersion();
      return new String[] {v == null ? "0.1.0-SNAPSHOT" : v};
    }
  }

  /** Standard output as a UTF-8 writer (for {@link Main}). */
  static PrintWriter stdout() {
    return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
  }

  static PrintWriter stderr() {
    return new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
  }

  /** Colour by default: standard output is a terminal and the NO_COLOR environment variable is unset. */
  static boolean colourByDefault() {
    return stdoutIsTerminal() && System.getenv("NO_COLOR") == null;
  }

  /** True when standard output is an interactive terminal (not a pipe or a file). */
  static boolean stdoutIsTerminal() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // JDK 22+: System.console() may exist while output is redirected; ask it
      return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // JDK 21: a console exists only when both streams are a terminal
    }
  }
}
