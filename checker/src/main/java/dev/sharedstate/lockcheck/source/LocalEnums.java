package dev.sharedstate.lockcheck.source;

import java.util.ArrayList;
import java.util.List;

/**
 * A workaround for JavaParser 3.28, which cannot parse a local enum declaration (an {@code enum}
 * declared in a method body, Java 16; javaparser issue #3990): each local {@code enum Name
 * [implements ...] { CONSTANTS; members }} is rewritten, in a copy of the text, to a local
 * {@code class Name [implements ...] { members }} of the same length. The {@code class} keyword takes
 * its extra character from the whitespace before {@code enum}; the constants (up to their top-level
 * {@code ;}, or the closing brace) are blanked, newlines kept. Every other character stays where it
 * was, so positions in the rewritten file are those of the original. Only used to retry a parse that
 * failed: the analysis does not need the constants, only the rest of the method.
 */
final class LocalEnums {

  private LocalEnums() {}

  private enum Brace { TYPE, BLOCK, OTHER }

  /** The text with its local enums rewritten as classes; null when it has none that can be rewritten. */
  static String asClasses(String text) {
    if (!text.contains("enum")) {
      return null;
    }
    JavaLexer lx = new JavaLexer(text);
    List<Brace> braces = new ArrayList<>();
    List<Boolean> parens = new ArrayList<>(); // per open '(': does it hold a `new X(..)`'s arguments?
    boolean typeHeader = false; // a class/interface/enum/record keyword seen: the next '{' opens its body
    boolean newPending = false; // `new` seen: the next '(' holds its arguments
    boolean afterCreation = false; // the last token closed a `new X(..)`: a '{' now is an anonymous class body
    int prevKind = JavaLexer.EOF;
    char prevPunct = 0;
    boolean prevDot = false;
    char[] out = null;
    for (int k = lx.next(); k != JavaLexer.EOF; k = lx.next()) {
      boolean closedCreation = false;
      if (k == JavaLexer.IDENT) {
        if (prevDot) {
          // Foo.class, a.enum (not Java), x.record: a member, not a keyword here
        } else if (lx.is("class") || lx.is("interface")) {
          typeHeader = true;
        } else if (lx.is("enum") || lx.is("record")) {
          int at = lx.start();
          boolean enumKeyword = lx.is("enum");
          int save = lx.end();
          // a declaration only when a name follows (record and enum are contextual)
          JavaLexer peek = new JavaLexer(text, save, text.length());
          if (peek.next() == JavaLexer.IDENT) {
            typeHeader = true;
            if (enumKeyword && !braces.isEmpty() && braces.get(braces.size() - 1) == Brace.BLOCK) {
              if (out == null) {
                out = text.toCharArray();
              }
              if (!rewrite(text, out, at)) {
                return null; // no room for `class`: leave the parse error as it is
              }
            }
          }
        } else if (lx.is("new")) {
          newPending = true;
        }
      } else if (k == JavaLexer.PUNCT) {
        char c = lx.ch();
        switch (c) {
          case '(' -> {
            parens.add(newPending);
            newPending = false;
          }
          case ')' -> closedCreation = !parens.isEmpty() && parens.remove(parens.size() - 1);
          case '{' -> {
            Brace b;
            if (typeHeader || afterCreation) {
              b = Brace.TYPE;
            } else if (!braces.isEmpty() && braces.get(braces.size() - 1) == Brace.OTHER
                && (prevPunct == '{' || prevPunct == ',')) {
              b = Brace.OTHER; // nested array initialiser
            } else if (prevKind == JavaLexer.PUNCT && (prevPunct == '=' || prevPunct == ']' || prevPunct == '('
                || prevPunct == ',')) {
              b = Brace.OTHER; // an array initialiser, an annotation's array
            } else {
              b = Brace.BLOCK; // a body, a block, an initialiser, a lambda's or a switch rule's body
            }
            braces.add(b);
            typeHeader = false;
            newPending = false;
          }
          case '}' -> {
            if (!braces.isEmpty()) {
              braces.remove(braces.size() - 1);
            }
          }
          case ';' -> {
            typeHeader = false;
            newPending = false;
          }
          default -> { }
        }
        prevPunct = c;
      }
      afterCreation = closedCreation;
      prevDot = k == JavaLexer.PUNCT && lx.ch() == '.';
      prevKind = k;
      if (k != JavaLexer.PUNCT) {
        prevPunct = 0;
      }
    }
    return out == null || lx.malformed() ? null : new String(out);
  }

  /**
   * Rewrites the local enum whose keyword starts at {@code at}: {@code enum} → {@code class} one column
   * to the left, the constants blanked. False when there is no whitespace before the keyword to take.
   */
  private static boolean rewrite(String text, char[] out, int at) {
    if (at == 0 || !isBlank(text.charAt(at - 1))
        || !(at == 1 || isBlank(text.charAt(at - 2)) || text.charAt(at - 2) == '\n' || text.charAt(at - 2) == '\r')) {
      return false; // `final enum` has one space only: taking it would join the words
    }
    "class".getChars(0, 5, out, at - 1);
    // the body: from its '{' to the top-level ';' (inclusive) or the closing '}' (exclusive)
    JavaLexer lx = new JavaLexer(text, at + 4, text.length());
    int k;
    do {
      k = lx.next();
    } while (k != JavaLexer.EOF && !(k == JavaLexer.PUNCT && lx.ch() == '{'));
    if (k == JavaLexer.EOF) {
      return false;
    }
    int from = lx.end();
    int depth = 0;
    for (k = lx.next(); k != JavaLexer.EOF; k = lx.next()) {
      if (k != JavaLexer.PUNCT) {
        continue;
      }
      char c = lx.ch();
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || (c == '}' && depth > 0)) {
        depth--;
      } else if (c == '}' || (c == ';' && depth == 0)) {
        int to = c == ';' ? lx.end() : lx.start();
        for (int i = from; i < to; i++) {
          if (out[i] != '\n' && out[i] != '\r') {
            out[i] = ' ';
          }
        }
        return true;
      }
    }
    return false;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
