package dev.sharedstate.lockcheck.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.toolchain.Toolchain;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * {@code lockcheck:check}: runs lockcheck over the project's sources, writes SARIF under
 * {@code target/}, logs each finding as an error line and fails the build when there is one.
 *
 * <p>Bound by default to {@code process-classes}: after the main sources compile (a compile error is
 * reported by javac first, and {@code target/classes} is there for type resolution), before any test
 * runs, and inside {@code mvn test}, {@code package} and {@code verify} alike.
 */
@Mojo(
    name = "check",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.COMPILE,
    threadSafe = true)
public final class CheckMojo extends AbstractMojo {

  /** Skips the check (also {@code -Dlockcheck.skip}). */
  @Parameter(property = "lockcheck.skip", defaultValue = "false")
  boolean skip;

  /**
   * Folders whose Java sources are checked (default: the project's compile source roots). Relative
   * paths are relative to the project's folder; folders that do not exist are skipped.
   */
  @Parameter(defaultValue = "${project.compileSourceRoots}")
  List<String> sourceRoots = new ArrayList<>();

  /** Glob patterns, relative to each source root, of the files to check. */
  @Parameter
  List<String> includes = new ArrayList<>(List.of("**/*.java"));

  /** Glob patterns, relative to each source root, of files not to check. */
  @Parameter
  List<String> excludes = new ArrayList<>();

  /** Fails the build when a finding (or an input lockcheck could not analyse) is reported. */
  @Parameter(property = "lockcheck.failOnFindings", defaultValue = "true")
  boolean failOnFindings;

  /** Also logs each finding as an error line {@code file:line:col: message [rule]}. */
  @Parameter(property = "lockcheck.logFindings", defaultValue = "true")
  boolean logFindings;

  /** Where the SARIF 2.1.0 report goes. */
  @Parameter(property = "lockcheck.sarif", defaultValue = "${project.build.directory}/lockcheck.sarif")
  File sarifFile;

  /** The project's lockcheck configuration file ({@code --config}); unset: lockcheck's own lookup. */
  @Parameter(property = "lockcheck.config")
  File config;

  /** Does not look for a {@code lockcheck.yaml} ({@code --no-config}). */
  @Parameter(property = "lockcheck.noConfig", defaultValue = "false")
  boolean noConfig;

  /** Findings recorded in this baseline do not count ({@code --baseline}). */
  @Parameter(property = "lockcheck.baseline")
  File baseline;

  /**
   * Records the current findings as a baseline in this file ({@code --write-baseline}) instead of
   * checking: the goal then passes (no SARIF report) unless some input could not be analysed.
   */
  @Parameter(property = "lockcheck.writeBaseline")
  File writeBaseline;

  /**
   * The Java release the checked code targets ({@code --release}): 21 to 23 add virtual-thread
   * pinning findings. Passed only to a lockcheck that knows the option.
   */
  @Parameter(property = "lockcheck.release", defaultValue = "${maven.compiler.release}")
  String release;

  /** Passes the project's compile class path to lockcheck, to resolve types from dependencies. */
  @Parameter(property = "lockcheck.useProjectClasspath", defaultValue = "true")
  boolean useProjectClasspath;

  /**
   * Runs lockcheck in a separate JVM even when Maven's own runs Java 21+. Maven on an older Java
   * always forks, with the JDK of the build's {@code jdk} toolchain.
   */
  @Parameter(property = "lockcheck.fork", defaultValue = "false")
  boolean fork;

  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  File basedir;

  @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true)
  List<String> classpathElements = new ArrayList<>();

  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true)
  List<Artifact> pluginArtifacts = new ArrayList<>();

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @SuppressWarnings("deprecation") // @Component still works on every Maven 3; JSR-330 needs 3.9-era idioms
  @Component
  ToolchainManager toolchains;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("lockcheck: skipped");
      return;
    }
    List<Path> files;
    try {
      files = SourceSelection.select(basedir.toPath(), sourceRoots, includes, excludes);
    } catch (IOException e) {
      throw new MojoExecutionException("lockcheck: cannot list the sources: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      getLog().info("lockcheck: no Java sources under " + sourceRoots + ": nothing to check");
      return;
    }
    Runner runner = runner();
    Path sarif = sarifFile.toPath();
    List<String> supported = usesNewerOptions() ? runner.supportedOptions() : List.of();
    List<String> args = arguments(supported, sarif, files);
    try {
      Files.deleteIfExists(sarif);
    } catch (IOException e) {
      throw new MojoExecutionException("lockcheck: cannot replace " + sarif + ": " + e.getMessage(), e);
    }
    getLog().debug("lockcheck " + String.join(" ", args));
    Runner.Result run = runner.run(args, basedir.toPath());
    interpret(run, sarif, files.size());
  }

  /** True if an option set here may be one an older lockcheck lacks (then its --help is read first). */
  private boolean usesNewerOptions() {
    return config != null || noConfig || baseline != null || writeBaseline != null || present(release);
  }

  /**
   * The CLI arguments. {@code supported} lists the long options of the lockcheck at hand: options set
   * here that it lacks are an error (config, noConfig, baseline, writeBaseline) or left out (release, which
   * defaults to the project's {@code maven.compiler.release} and so is nearly always set).
   */
  List<String> arguments(List<String> supported, Path sarif, List<Path> files) throws MojoExecutionException {
    CliArguments cli = new CliArguments(sarif);
    if (config != null) {
      cli.option(supported, "--config", config.getPath(), "config");
    }
    if (noConfig) {
      cli.flag(supported, "--no-config", "noConfig");
    }
    if (baseline != null) {
      cli.option(supported, "--baseline", baseline.getPath(), "baseline");
    }
    if (writeBaseline != null) {
      cli.option(supported, "--write-baseline", writeBaseline.getPath(), "writeBaseline");
    }
    if (present(release)) {
      if (supported.contains("--release")) {
        cli.add("--release", release.strip());
      } else {
        getLog().debug("lockcheck: this lockcheck has no --release; release " + release + " not passed");
      }
    }
    if (useProjectClasspath) {
      List<String> cp = classpathElements.stream().filter(e -> new File(e).exists()).toList();
      if (!cp.isEmpty()) {
        cli.add("--classpath", String.join(File.pathSeparator, cp));
      }
    }
    return cli.build(files);
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private Runner runner() throws MojoExecutionException {
    if (!fork && Runtime.version().feature() >= Runner.MIN_JAVA) {
      return new Runner.InProcess();
    }
    List<Path> classpath = pluginArtifacts.stream()
        .filter(a -> a.getFile() != null)
        .map(a -> a.getFile().toPath())
        .toList();
    return new Runner.Forked(javaExecutable(), classpath, getLog());
  }

  /** The {@code java} of the build's jdk toolchain, or of the JDK running Maven if that is new enough. */
  private Path javaExecutable() throws MojoExecutionException {
    Toolchain tc = toolchains == null || session == null ? null : toolchains.getToolchainFromBuildContext("jdk", session);
    if (tc != null) {
      String java = tc.findTool("java");
      if (java != null) {
        return Path.of(java);
      }
    }
    if (Runtime.version().feature() >= Runner.MIN_JAVA) {
      return Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
    }
    throw new MojoExecutionException("lockcheck needs Java " + Runner.MIN_JAVA + " or newer, and Maven runs on Java "
        + Runtime.version().feature() + ": run Maven on a JDK " + Runner.MIN_JAVA
        + "+, or select one with maven-toolchains-plugin (goal select-jdk-toolchain or toolchain) before this goal");
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  }

  private void interpret(Runner.Result run, Path sarif, int fileCount)
      throws MojoExecutionException, MojoFailureException {
    if (writeBaseline != null) {
      // lockcheck writes the baseline and no report
      run.output().lines().filter(l -> !l.isBlank()).forEach(l -> getLog().info(l));
      if (run.exitCode() != 0) {
        throw new MojoFailureException("lockcheck: the baseline " + writeBaseline + " may be incomplete: some input"
            + " could not be analysed (exit code " + run.exitCode() + "), see above");
      }
      return;
    }
    // the baseline's notes (how many findings it matched, which entries went stale) are worth a look
    run.output().lines().filter(l -> !l.isBlank())
        .forEach(l -> {
          if (l.startsWith("lockcheck: baseline") || l.startsWith("  ")) {
            getLog().info(l);
          } else {
            getLog().debug(l);
          }
        });
    if (run.exitCode() > 2 || run.exitCode() < 0 || !Files.isRegularFile(sarif)) {
      throw new MojoExecutionException("lockcheck did not run (exit code " + run.exitCode() + "):\n"
          + run.output().strip());
    }
    SarifSummary summary;
    try {
      summary = SarifSummary.read(sarif);
    } catch (IOException e) {
      throw new MojoExecutionException("lockcheck: cannot read its report " + sarif + ": " + e.getMessage(), e);
    }
    String where = "; SARIF report: " + sarif;
    // The exit code is the verdict (suppressed and baselined findings do not count); the report
    // gives the lines to show.
    if (run.exitCode() == 0) {
      getLog().info("lockcheck: " + fileCount + " file(s) checked, no findings" + where);
      return;
    }
    if (logFindings) {
      summary.problems().forEach(p -> getLog().error(p.text()));
      summary.findings().forEach(f -> getLog().error(f.text()));
    }
    String message = "lockcheck: " + summary.findings().size() + " finding(s)"
        + (summary.problems().isEmpty() ? "" : ", " + summary.problems().size() + " input(s) not analysed")
        + " in " + fileCount + " file(s) checked" + where
        + (summary.findings().isEmpty() ? "" : "; explained by: lockcheck --explain " + summary.findings().get(0).ruleId());
    if (failOnFindings) {
      throw new MojoFailureException(message);
    }
    getLog().warn(message);
  }
}
