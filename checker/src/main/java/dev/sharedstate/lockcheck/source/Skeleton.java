package dev.sharedstate.lockcheck.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Blanks, before parsing, the method and constructor bodies of a file that cannot matter, so the
 * parser does not build trees nobody reads. The text keeps its length, lines and columns: every
 * character of a blanked body between its braces becomes a space, line breaks stay. A body is kept
 * when
 * <ul>
 *   <li>it has a token {@code wanted} accepts (a lock token: where lock regions start), or its
 *       declaration is {@code synchronized};
 *   <li>or its method's name (a constructor's: its class's) is an identifier of the kept text: a
 *       field initialiser, an initializer block, an annotation, or another kept body (to a fixed
 *       point), so a same-file method that a lock region calls, or names in a method reference, is
 *       kept with every method it calls in turn;
 *   <li>or its name is one the language calls implicitly ({@link #IMPLICIT}: {@code close} for
 *       try-with-resources, {@code iterator/hasNext/next} for the enhanced for, {@code toString}
 *       for string concatenation, functional-interface methods for immediate callers...).
 * </ul>
 * Initializer blocks, field initialisers, enum constants, nested and anonymous class bodies outside
 * blanked bodies are never blanked. A text this scanner cannot follow (unicode escapes, unbalanced
 * braces, an unterminated comment or literal) is returned unchanged.
 *
 * <p>What a blanked file's tree lacks: the statements of blanked bodies (they are empty blocks), and
 * so local and anonymous classes declared in them. The tree carries {@link #BLANKED} so that code
 * that needs every body of a file (e.g. call summaries for other files) can tell: such code must
 * parse the file's full text instead.
 */
public final class Skeleton {

  /** Names the language calls without naming them, or that library code calls back. */
  public static final Set<String> IMPLICIT = Set.of(
      "close", "iterator", "hasNext", "next", "toString", "hashCode", "equals", "compareTo", "compare",
      "run", "call", "accept", "apply", "test", "get", "finalize");

  /** Key of the {@link Result} attached to a compilation unit parsed from a blanked text. */
  public static final com.github.javaparser.ast.DataKey<Result> BLANKED = new com.github.javaparser.ast.DataKey<>() {};

  /** The text to parse and how many bodies (and characters) were blanked. */
  public record Result(String text, int bodies, int keptBodies, int blankedChars) {
    public boolean blankedAny() {
      return bodies - keptBodies > 0;
    }
  }

  private Skeleton() {}

  /** A candidate body: a method's or constructor's braces, its name, whether it must be kept. */
  private static final class Body {
    final String name;
    final int open;
    int close = -1;
    boolean kept;

    Body(String name, int open, boolean kept) {
      this.name = name;
      this.open = open;
      this.kept = kept;
    }
  }

  private static final int TOP = 0;
  private static final int CLASS = 1;
  private static final int ENUM_CONSTANTS = 2;
  private static final int BLOCK = 3; // kept code or anything else: braces counted, identifiers collected
  private static final int CANDIDATE = 4;

  /** What has been read of a member's header (in a TOP, CLASS or ENUM_CONSTANTS frame). */
  private static final class Header {
    int parens;
    boolean typeKeyword;
    boolean typeName; // the next identifier is the declared type's name
    boolean isEnum;
    boolean recordPending;
    boolean equals;
    boolean sync;
    boolean anyToken;
    boolean onlyStatic = true;
    boolean annotationName; // reading `@a.b.Name`: a following `(` opens the annotation's arguments
    boolean lastWasIdent;
    boolean lastWasDefault;
    String lastIdent;
    String methodName;

    void reset() {
      parens = 0;
      typeKeyword = typeName = isEnum = recordPending = equals = sync = anyToken = annotationName = false;
      lastWasIdent = lastWasDefault = false;
      onlyStatic = true;
      lastIdent = methodName = null;
    }
  }

  /** Blanks what cannot matter; {@code wanted} says which identifiers make a body matter. */
  public static Result blank(String text, Predicate<JavaLexer> wanted) {
    Result unchanged = new Result(text, 0, 0, 0);
    if (text.indexOf("\\u") >= 0) {
      return unchanged; // an escape could spell a brace or a quote: the scanner would be lost
    }
    List<Body> bodies = new ArrayList<>();
    Set<String> needed = new HashSet<>(IMPLICIT);
    JavaLexer lex = new JavaLexer(text);
    int[] frames = new int[256];
    int depth = 0;
    frames[0] = TOP;
    Header h = new Header();
    int inner = 0; // braces opened inside the current BLOCK or CANDIDATE frame
    Body current = null;

    for (int kind = lex.next(); kind != JavaLexer.EOF; kind = lex.next()) {
      int frame = frames[depth];
      if (frame == BLOCK || frame == CANDIDATE) {
        if (kind == JavaLexer.PUNCT && lex.ch() == '{') {
          inner++;
        } else if (kind == JavaLexer.PUNCT && lex.ch() == '}') {
          if (inner > 0) {
            inner--;
            continue;
          }
          if (frame == CANDIDATE) {
            current.close = lex.start();
            current = null;
          }
          depth--;
          h.reset(); // the member ended
        } else if (kind == JavaLexer.IDENT) {
          if (frame == BLOCK) {
            needed.add(lex.token());
          } else if (!current.kept && wanted.test(lex)) {
            current.kept = true;
          }
        }
        continue;
      }
      // TOP, CLASS or ENUM_CONSTANTS: a member's header
      if (kind == JavaLexer.IDENT) {
        if (h.annotationName && h.lastWasIdent) {
          h.annotationName = false; // `@Override public`: the annotation's name has ended
        }
        if (h.parens > 0 || h.equals) {
          needed.add(lex.token()); // annotation or enum-constant arguments, parameters, a field initialiser
        } else if (h.recordPending) {
          h.typeKeyword = true; // `record Name`
        } else if (h.typeName) {
          h.typeName = false; // the declared type's own name: not a use of its constructors
        } else if (h.typeKeyword) {
          needed.add(lex.token()); // extends, implements: a constructor runs its superclass's
        } else if (lex.is("class") || lex.is("interface")) {
          h.typeKeyword = true;
          h.typeName = true;
        } else if (lex.is("enum")) {
          h.typeKeyword = true;
          h.typeName = true;
          h.isEnum = true;
        } else if (lex.is("synchronized")) {
          h.sync = true;
        }
        h.recordPending = h.parens == 0 && !h.equals && !h.annotationName && lex.is("record");
        if (!lex.is("static")) {
          h.onlyStatic = false;
        }
        h.anyToken = true;
        h.lastWasIdent = true;
        h.lastWasDefault = lex.is("default");
        h.lastIdent = lex.token();
        continue;
      }
      boolean wasIdent = h.lastWasIdent;
      boolean wasDefault = h.lastWasDefault;
      boolean wasAnnotationName = h.annotationName;
      h.lastWasIdent = false;
      h.lastWasDefault = false;
      h.recordPending = false;
      h.annotationName = false;
      if (kind == JavaLexer.LITERAL) {
        h.anyToken = true;
        h.onlyStatic = false;
        continue;
      }
      char c = lex.ch();
      if (c != '{') {
        h.anyToken = true;
        h.onlyStatic = false;
      }
      if (c == '@' && h.parens == 0) {
        h.annotationName = true;
      } else if (c == '.' && wasAnnotationName) {
        h.annotationName = true;
      } else if (c == '(') {
        if (h.parens == 0 && !h.equals && !wasAnnotationName && wasIdent && h.methodName == null
            && !h.typeKeyword && frames[depth] != ENUM_CONSTANTS) {
          h.methodName = h.lastIdent;
        }
        h.parens++;
      } else if (c == ')') {
        if (--h.parens < 0) {
          return unchanged;
        }
      } else if (h.parens > 0) {
        continue; // inside parentheses: only their nesting matters
      } else if (c == '=') {
        h.equals = true;
      } else if (c == ';') {
        if (frame == ENUM_CONSTANTS) {
          frames[depth] = CLASS;
        }
        h.reset();
      } else if (c == ',' && frame == ENUM_CONSTANTS) {
        h.reset(); // the next enum constant
      } else if (c == '{') {
        if (depth + 1 >= frames.length) {
          return unchanged;
        }
        int next;
        String name = h.methodName;
        if (frame == ENUM_CONSTANTS) {
          next = CLASS; // an enum constant's class body
        } else if (h.equals || wasDefault) {
          next = BLOCK; // an array initialiser, or an anonymous class in a field initialiser
        } else if (h.typeKeyword) {
          next = h.isEnum ? ENUM_CONSTANTS : CLASS;
        } else if (frame == TOP) {
          next = BLOCK; // e.g. a module declaration
        } else if (name != null) {
          next = CANDIDATE;
        } else if (h.onlyStatic) {
          next = BLOCK; // an initializer block
        } else if (wasIdent && !wasAnnotationName) {
          next = CANDIDATE; // a compact constructor: `Name {`
          name = h.lastIdent;
        } else {
          next = BLOCK;
        }
        if (next == CANDIDATE) {
          current = new Body(name, lex.start(), h.sync);
          bodies.add(current);
        }
        inner = 0;
        frames[++depth] = next;
        h.reset();
      } else if (c == '}') {
        if (depth == 0) {
          return unchanged;
        }
        depth--;
        h.reset();
      }
    }
    if (lex.malformed() || depth != 0 || current != null) {
      return unchanged;
    }
    return apply(text, bodies, needed, wanted);
  }

  /** Keeps bodies whose names are needed, to a fixed point, then blanks the rest. */
  private static Result apply(String text, List<Body> bodies, Set<String> needed, Predicate<JavaLexer> wanted) {
    for (Body b : bodies) {
      if (b.kept) {
        collect(text, b, needed);
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Body b : bodies) {
        if (!b.kept && needed.contains(b.name)) {
          b.kept = true;
          collect(text, b, needed);
          changed = true;
        }
      }
    }
    int kept = 0;
    int blankedChars = 0;
    char[] out = null;
    for (Body b : bodies) {
      if (b.kept) {
        kept++;
        continue;
      }
      if (out == null) {
        out = text.toCharArray();
      }
      for (int i = b.open + 1; i < b.close; i++) {
        char c = out[i];
        if (c != '\n' && c != '\r') {
          out[i] = ' ';
          blankedChars++;
        }
      }
    }
    return new Result(out == null ? text : new String(out), bodies.size(), kept, blankedChars);
  }

  /** Adds the identifiers of a kept body to the needed names. */
  private static void collect(String text, Body b, Set<String> needed) {
    JavaLexer lex = new JavaLexer(text, b.open + 1, b.close);
    for (int kind = lex.next(); kind != JavaLexer.EOF; kind = lex.next()) {
      if (kind == JavaLexer.IDENT) {
        needed.add(lex.token());
      }
    }
  }
}
