package dev.sharedstate.lockcheck;

/** A region of a source file, 1-based, end inclusive (as JavaParser reports ranges). */
public record Span(int line, int column, int endLine, int endColumn) {

  public static Span at(int line, int column) {
    return new Span(line, column, line, column);
  }
}
