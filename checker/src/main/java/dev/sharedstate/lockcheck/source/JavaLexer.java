package dev.sharedstate.lockcheck.source;

/**
 * A small hand-written scanner over Java source text (unicode escapes already translated), for the
 * cheap passes that run before, or instead of, a parse: it steps over whitespace, comments, string,
 * character and text-block literals and numbers, and stops at identifiers (keywords included) and
 * at every other character. It never allocates per token. When the text ends inside a comment or a
 * literal, or a literal runs past its line, {@link #malformed()} turns true: callers that use the
 * scanner to skip work must then fall back to doing it.
 */
public final class JavaLexer {

  /** Token kinds returned by {@link #next()}. */
  public static final int EOF = 0;
  public static final int IDENT = 1;
  public static final int LITERAL = 2;
  public static final int PUNCT = 3;

  private final String text;
  private final int n;
  private int pos;
  private int start;
  private int end;
  private boolean malformed;

  public JavaLexer(String text) {
    this(text, 0, text.length());
  }

  /** Scans {@code text} from {@code from} (not inside a comment or literal) to {@code to}. */
  public JavaLexer(String text, int from, int to) {
    this.text = text;
    this.n = to;
    this.pos = from;
  }

  /** Start offset of the current token. */
  public int start() {
    return start;
  }

  /** End offset (exclusive) of the current token. */
  public int end() {
    return end;
  }

  /** The current token's first character (for {@link #PUNCT}). */
  public char ch() {
    return text.charAt(start);
  }

  /** True when the current {@link #IDENT} token is exactly {@code word}. */
  public boolean is(String word) {
    return end - start == word.length() && text.startsWith(word, start);
  }

  /** True when the current token contains {@code part}. */
  public boolean contains(String part) {
    for (int i = start, last = end - part.length(); i <= last; i++) {
      if (text.startsWith(part, i)) {
        return true;
      }
    }
    return false;
  }

  /** The current token's text (allocates; for the rare tokens a caller keeps). */
  public String token() {
    return text.substring(start, end);
  }

  /** True when the text ended inside a comment or literal, or a literal ran past its line. */
  public boolean malformed() {
    return malformed;
  }

  /** Moves to the next token and returns its kind. */
  public int next() {
    while (pos < n) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pos++;
      } else if (c == '/' && pos + 1 < n && text.charAt(pos + 1) == '/') {
        int nl = lineEnd(pos);
        pos = nl;
      } else if (c == '/' && pos + 1 < n && text.charAt(pos + 1) == '*') {
        int close = text.indexOf("*/", pos + 2);
        if (close < 0) {
          malformed = true;
          pos = n;
        } else {
          pos = close + 2;
        }
      } else {
        break;
      }
    }
    start = pos;
    if (pos >= n) {
      end = n;
      return EOF;
    }
    char c = text.charAt(pos);
    if (Character.isJavaIdentifierStart(c)) {
      pos++;
      while (pos < n && Character.isJavaIdentifierPart(text.charAt(pos))) {
        pos++;
      }
      end = pos;
      return IDENT;
    }
    if (Character.isHighSurrogate(c) && pos + 1 < n && Character.isJavaIdentifierStart(text.codePointAt(pos))) {
      pos += 2;
      while (pos < n) {
        int cp = text.codePointAt(pos);
        if (!Character.isJavaIdentifierPart(cp)) {
          break;
        }
        pos += Character.charCount(cp);
      }
      end = pos;
      return IDENT;
    }
    if (c == '"') {
      if (text.startsWith("\"\"\"", pos)) {
        textBlock();
      } else {
        quoted('"');
      }
      end = pos;
      return LITERAL;
    }
    if (c == '\'') {
      quoted('\'');
      end = pos;
      return LITERAL;
    }
    if (c >= '0' && c <= '9' || (c == '.' && pos + 1 < n && isDigit(text.charAt(pos + 1)))) {
      number();
      end = pos;
      return LITERAL;
    }
    pos++;
    end = pos;
    return PUNCT;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private int lineEnd(int from) {
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return n;
  }

  /** A string or character literal; a backslash escapes the next character. Ends at its line. */
  private void quoted(char q) {
    pos++;
    while (pos < n) {
      char c = text.charAt(pos);
      if (c == '\\') {
        pos += 2;
      } else if (c == q) {
        pos++;
        return;
      } else if (c == '\n' || c == '\r') {
        malformed = true;
        return;
      } else {
        pos++;
      }
    }
    malformed = true;
    pos = n;
  }

  /** A text block: from {@code """} to the next unescaped {@code """}. */
  private void textBlock() {
    pos += 3;
    while (pos < n) {
      char c = text.charAt(pos);
      if (c == '\\') {
        pos += 2;
      } else if (c == '"' && text.startsWith("\"\"\"", pos)) {
        pos += 3;
        return;
      } else {
        pos++;
      }
    }
    malformed = true;
    pos = n;
  }

  /** A numeric literal: digits, letters, underscores, dots, and a sign right after an exponent. */
  private void number() {
    boolean hex = text.charAt(pos) == '0' && pos + 1 < n && (text.charAt(pos + 1) == 'x' || text.charAt(pos + 1) == 'X');
    while (pos < n) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
        pos++;
        boolean exponent = hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E');
        if (exponent && pos < n && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
      } else {
        return;
      }
    }
  }
}
