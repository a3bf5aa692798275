package dev.sharedstate.lockcheck.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The argument list the plugin hands to the lockcheck CLI: SARIF into the report file, the options the
 * user set, then the files after {@code --}. An option this lockcheck does not know is never passed
 * silently: setting it is an error that names the parameter.
 */
final class CliArguments {

  private final List<String> options = new ArrayList<>();

  CliArguments(Path sarif) {
    options.addAll(List.of("--format", "sarif", "--output", sarif.toString()));
  }

  void add(String option, String value) {
    options.add(option);
    options.add(value);
  }

  /** Adds {@code option value}, or fails if the CLI does not list {@code option}. */
  void option(List<String> supported, String option, String value, String parameter) throws MojoExecutionException {
    requireSupported(supported, option, parameter);
    add(option, value);
  }

  /** Adds the flag {@code option}, or fails if the CLI does not list it. */
  void flag(List<String> supported, String option, String parameter) throws MojoExecutionException {
    requireSupported(supported, option, parameter);
    options.add(option);
  }

  private static void requireSupported(List<String> supported, String option, String parameter)
      throws MojoExecutionException {
    if (!supported.contains(option)) {
      throw new MojoExecutionException("lockcheck: the parameter <" + parameter + "> needs a lockcheck with "
          + option + ", and this one has none (its options: " + String.join(" ", supported)
          + "); remove <" + parameter + "> or use a newer lockcheck-maven-plugin");
    }
  }

  List<String> build(List<Path> files) {
    List<String> all = new ArrayList<>(options);
    all.add("--");
    files.forEach(f -> all.add(f.toString()));
    return all;
  }
}
