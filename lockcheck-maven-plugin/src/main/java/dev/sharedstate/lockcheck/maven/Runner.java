package dev.sharedstate.lockcheck.maven;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Runs the lockcheck CLI with an argument list: in Maven's own JVM when it is new enough, else in a
 * forked JDK. Either way the CLI's exit code and its console output come back; the report itself
 * goes to the file named by {@code --output}.
 */
sealed interface Runner {

  /** The Java feature release lockcheck is built for. */
  int MIN_JAVA = 21;

  String MAIN = "dev.sharedstate.lockcheck.cli.Main";

  record Result(int exitCode, String output) {}

  Result run(List<String> args, Path workingDirectory) throws MojoExecutionException;

  /** The long options this lockcheck knows, read from its {@code --help}. */
  default List<String> supportedOptions() throws MojoExecutionException {
    Result help = run(List.of("--help"), Path.of("."));
    Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(help.output());
    TreeSet<String> options = new TreeSet<>();
    while (m.find()) {
      options.add(m.group());
    }
    return List.copyOf(options);
  }

  /**
   * Calls {@code Cli.run(args, out, err)} in this JVM (Java 21+ only: loading the CLI's classes on an
   * older JVM fails). The working directory is Maven's, so SARIF paths are relative to it.
   */
  final class InProcess implements Runner {
    @Override
    public Result run(List<String> args, Path workingDirectory) {
      return InProcessCall.run(args.toArray(String[]::new));
    }
  }

  /** {@code java -cp <plugin class path> dev.sharedstate.lockcheck.cli.Main @argfile} in the project's folder. */
  final class Forked implements Runner {
    private final Path java;
    private final List<Path> classpath;
    private final Log log;

    Forked(Path java, List<Path> classpath, Log log) {
      this.java = java;
      this.classpath = List.copyOf(classpath);
      this.log = log;
    }

    @Override
    public Result run(List<String> args, Path workingDirectory) throws MojoExecutionException {
      Path argfile = null;
      try {
        // the java launcher's own @argfile: no command-line length limit, whatever the OS
        argfile = Files.createTempFile("lockcheck-args", ".txt");
        List<String> lines = new ArrayList<>();
        lines.add("-cp");
        lines.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        lines.add(MAIN);
        lines.addAll(args);
        Files.write(argfile, lines.stream().map(Forked::quote).toList(), StandardCharsets.UTF_8);
        log.debug("lockcheck: " + java + " @" + argfile);
        Process p = new ProcessBuilder(java.toString(), "@" + argfile)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .start();
        p.getOutputStream().close();
        String out = readAll(p.getInputStream());
        return new Result(p.waitFor(), out);
      } catch (IOException e) {
        throw new MojoExecutionException("lockcheck: cannot run " + java + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MojoExecutionException("lockcheck: interrupted", e);
      } finally {
        if (argfile != null) {
          try {
            Files.deleteIfExists(argfile);
          } catch (IOException ignored) {
            // a temp file left behind is harmless
          }
        }
      }
    }

    private static String readAll(InputStream in) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    }

    /** An argfile token: quoted, with backslashes and quotes escaped (the launcher unescapes them). */
    static String quote(String arg) {
      return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }
}
