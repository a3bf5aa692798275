package dev.sharedstate.lockcheck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI with string writers, as a user would from the module directory. */
record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    return of(false, args);
  }

  static CliRun of(boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err), terminal);
    return new CliRun(code, out.toString(), err.toString());
  }
}
