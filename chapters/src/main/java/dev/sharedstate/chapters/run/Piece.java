package dev.sharedstate.chapters.run;

/**
 * One complete JShell snippet cut out of a code block: its source as JShell will see it, the
 * Markdown line it starts on, and what kind of snippet it is.
 */
public record Piece(String source, int line, Kind kind) {

  /** The JShell snippet kinds, in the runner's terms. */
  public enum Kind {
    IMPORT,
    TYPE,
    METHOD,
    VARIABLE,
    STATEMENT,
    /** Not parseable as any snippet; evaluating it yields the compiler's diagnostic. */
    ERRONEOUS,
    /** Not determined (the runner only classifies pieces of blocks it does not simply run). */
    UNCLASSIFIED;

    /** Declarations run no code when they are evaluated (a variable's initializer does). */
    public boolean declaresOnly() {
      return this == IMPORT || this == TYPE || this == METHOD;
    }
  }
}
