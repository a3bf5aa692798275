package dev.sharedstate.lockcheck.cli;

/** Process entry point: the only place that exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args, Cli.stdout(), Cli.stderr(), Cli.colourByDefault()));
  }
}
