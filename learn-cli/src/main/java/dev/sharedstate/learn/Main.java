package dev.sharedstate.learn;

/** Entry point of {@code ./learn}; see {@link Learn}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Learn.runFromSystem(args));
  }
}
