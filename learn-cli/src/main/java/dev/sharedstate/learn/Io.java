package dev.sharedstate.learn;

import java.io.BufferedReader;
import java.io.PrintWriter;

/**
 * The streams and terminal facts every command uses, injected so tests drive commands with strings.
 * {@code interactive} is false under {@code CI=true} or without a TTY: then output is plain and nothing
 * ever waits for a key.
 */
public record Io(PrintWriter out, PrintWriter err, BufferedReader in, boolean interactive, int width, int height) {
  /** ANSI styling only when a person is looking at a terminal. */
  public boolean color() {
    return interactive;
  }
}
