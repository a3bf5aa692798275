package dev.sharedstate.lockcheck.cli;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Lockcheck;
import dev.sharedstate.lockcheck.blocking.Catalogue;
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
      "",
      "Silence one finding with @SuppressWarnings(\"lock-held-across-blocking-call\") (or \"lockcheck\")",
      "on the method, class, field or local variable. Rule pages: checker/docs/rules/<id>.md"
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

  @Option(names = "--no-color", description = "Never colour the text output (also: the NO_COLOR environment variable).")
  boolean noColor;

  @Option(names = "--no-prefilter", description = "Parse every file, not only those that can hold a lock (slower; same findings).")
  boolean noPrefilter;

  @Option(names = "--threads", paramLabel = "N", description = "Files analysed in parallel (default: all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--verbose", description = "Add stack traces to internal errors.")
  boolean verbose;

  private PrintWriter out;
  private PrintWriter err;
  private boolean terminal;

  /** Runs the command; returns the exit code. Never calls System.exit. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, false);
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter)}; {@code outIsTerminal} allows colour. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, boolean outIsTerminal) {
    Cli cli = new Cli();
    cli.out = out;
    cli.err = err;
    cli.terminal = outIsTerminal && System.getenv("NO_COLOR") == null;
    CommandLine cmd = new CommandLine(cli)
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, c, parsed) -> {
          err.println("lockcheck: internal error: " + e);
          if (cli.verbose) {
            e.printStackTrace(err);
          }
          return USAGE_OR_INPUT;
        });
    cmd.setParameterExceptionHandler((ex, a) -> {
      err.println("lockcheck: " + ex.getMessage());
      err.println("Try 'lockcheck --help' for the options.");
      return USAGE_OR_INPUT;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
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
    Lockcheck checker;
    try {
      checker = Lockcheck.withDefaults()
          .withCatalogue(catalogues, immediateCallers)
          .withClasspath(classpath)
          .withPrefilter(!noPrefilter)
          .withThreads(threads)
          .withVerbose(verbose);
    } catch (Catalogue.CatalogueException e) {
      err.println("lockcheck: " + e.getMessage());
      return USAGE_OR_INPUT;
    }
    for (Path cp : classpath) {
      if (!Files.exists(cp)) {
        err.println("lockcheck: --classpath entry does not exist: " + cp);
        return USAGE_OR_INPUT;
      }
    }
    CheckResult result = checker.check(paths);
    String version = new Version().getVersion()[0];
    String report = switch (format) {
      case json -> JsonReport.render(result, version);
      case sarif -> SarifReport.render(result, version, Path.of(""));
      case text -> {
        StringWriter sw = new StringWriter();
        TextReport text = new TextReport(terminal && !noColor && output == null);
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
    out.flush();
    err.flush();
    return result.exitCode();
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
