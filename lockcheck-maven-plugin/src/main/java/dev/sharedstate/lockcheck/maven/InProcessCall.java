package dev.sharedstate.lockcheck.maven;

import dev.sharedstate.lockcheck.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The only class that links to lockcheck's own code, kept apart so that the plugin's other classes
 * load on a JVM too old for lockcheck (which then runs forked).
 */
final class InProcessCall {

  private InProcessCall() {}

  static Runner.Result run(String[] args) {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out);
    int code = Cli.run(args, w, w);
    w.flush();
    return new Runner.Result(code, out.toString());
  }
}
