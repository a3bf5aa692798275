package dev.sharedstate.lockcheck.analysis;

import dev.sharedstate.lockcheck.source.JavaLexer;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A token pre-filter: a file whose text cannot start a lock region cannot have a finding, so it is not
 * parsed. Lock regions start only at the keyword {@code synchronized}, at a call to one of
 * {@link #LOCK_TOKENS} (an {@code unlock()} in a finally starts the try/finally heuristic) or at a
 * map's {@link #MAP_COMPUTE_TOKENS} (a bin lock), so a file with none of these identifiers in its code (comments and string, character and text-block literals
 * do not count; a {@link JavaLexer} steps over them) is skipped. A unicode escape could spell one, so
 * escapes are translated first, as javac does. Sound by construction; the opt-in JDK test checks that
 * both modes report the same findings over the JDK's sources. Skipped files are still parsed on demand
 * by the source index when a reported file calls into them.
 */
public final class Prefilter {

  /** Identifiers that can start a lock region. Keep in step with {@code LockOps}. */
  static final Set<String> LOCK_TOKENS = Set.of(
      "synchronized", "lock", "lockInterruptibly", "tryLock", "unlock",
      "readLock", "writeLock", "readLockInterruptibly", "writeLockInterruptibly", "tryReadLock", "tryWriteLock");

  /** ConcurrentHashMap's methods that run a function under a bin lock (an implicit lock region). */
  static final List<String> MAP_COMPUTE_TOKENS = List.of("compute", "computeIfAbsent", "computeIfPresent", "merge");

  private static final Set<String> MAP_COMPUTE = Set.copyOf(MAP_COMPUTE_TOKENS);

  private Prefilter() {}

  /** True when the file may contain a lock region and must be analysed. */
  public static boolean mayHaveLockRegion(String source) {
    return mayHaveLockRegion(source, Set.of());
  }

  /**
   * True when the file may contain a lock region and must be analysed: one of {@link #LOCK_TOKENS} or
   * of {@code extraTokens} (e.g. lock methods a project declares) is an identifier of its code, outside
   * comments and literals. A file the scanner cannot follow to its end (an unterminated comment or
   * literal) is kept: it is then the parser's to report.
   */
  public static boolean mayHaveLockRegion(String source, Set<String> extraTokens) {
    if (source.contains("${")) {
      return true; // a template: parse it, so that it is reported
    }
    // javac translates unicode escapes before anything else (JLS 3.3): so do we
    String text = source.indexOf("\\u") >= 0 ? translateUnicodeEscapes(source) : source;
    if (!hasLockTokenAnywhere(text) && !hasAnyTokenAnywhere(text, extraTokens)) {
      return false; // most files: no lock token even in comments, no need to scan them properly
    }
    JavaLexer lex = new JavaLexer(text);
    for (int kind = lex.next(); kind != JavaLexer.EOF; kind = lex.next()) {
      if (kind == JavaLexer.IDENT && isLockToken(lex, extraTokens)) {
        return true;
      }
    }
    return lex.malformed();
  }

  /**
   * The test {@link #mayHaveLockRegion(String, Set)} applies to each identifier of the code: true
   * for a lock token. Also what {@link dev.sharedstate.lockcheck.source.Skeleton} keeps bodies for.
   */
  public static Predicate<JavaLexer> lockToken(Set<String> extraTokens) {
    return lex -> isLockToken(lex, extraTokens);
  }

  private static boolean isLockToken(JavaLexer lex, Set<String> extraTokens) {
    if (!extraTokens.isEmpty()) {
      String t = lex.token();
      return LOCK_TOKENS.contains(t) || MAP_COMPUTE.contains(t) || extraTokens.contains(t);
    }
    if (lex.is("synchronized") || lex.is("merge")) {
      return true;
    }
    if (lex.contains("compute")) {
      return MAP_COMPUTE.contains(lex.token());
    }
    // every other lock token has "ock" in it: look before allocating
    return lex.contains("ock") && LOCK_TOKENS.contains(lex.token());
  }

  /**
   * True when the text has, outside comments and literals, a character sequence Java never has there
   * ({@code ${}, {@code #}, a backtick): a template or another language. Such a file is parsed anyway,
   * so that it is reported as unparseable instead of silently skipped.
   */
  public static boolean looksLikeTemplate(String text) {
    return templateMarker(text) >= 0;
  }

  /** The index of the first template marker outside comments and literals, or -1. */
  public static int templateMarker(String text) {
    if (text.indexOf('#') < 0 && text.indexOf('`') < 0 && !text.contains("${")) {
      return -1; // most files: no marker character anywhere, nothing to scan for
    }
    JavaLexer lex = new JavaLexer(text);
    for (int kind = lex.next(); kind != JavaLexer.EOF; kind = lex.next()) {
      if (kind == JavaLexer.PUNCT && (lex.ch() == '#' || lex.ch() == '`')) {
        return lex.start();
      }
      // `$` is an identifier character and `{` is not, so a `${` ends an identifier token
      int end = lex.end();
      if (kind == JavaLexer.IDENT && text.charAt(end - 1) == '$' && end < text.length() && text.charAt(end) == '{') {
        return end - 1;
      }
    }
    return -1;
  }

  /** JLS 3.3: {@code \\uXXXX} (a backslash not itself escaped, one or more u, four hex digits). */
  static String translateUnicodeEscapes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\') {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
          backslashes++;
        }
        int k = i + 1;
        if (backslashes % 2 == 0 && k < n && s.charAt(k) == 'u') {
          while (k < n && s.charAt(k) == 'u') {
            k++;
          }
          if (k + 4 <= n) {
            try {
              out.append((char) Integer.parseInt(s.substring(k, k + 4), 16));
              i = k + 4;
              continue;
            } catch (NumberFormatException e) {
              // not an escape: keep the text as it is
            }
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** A cheap over-approximation: a lock token anywhere, comments and literals included. */
  private static boolean hasLockTokenAnywhere(String text) {
    for (String t : MAP_COMPUTE_TOKENS) {
      if (hasToken(text, t)) {
        return true;
      }
    }
    return hasToken(text, "synchronized") || hasOckToken(text);
  }

  private static boolean hasAnyTokenAnywhere(String text, Set<String> tokens) {
    for (String t : tokens) {
      if (hasToken(text, t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasToken(String text, String token) {
    int from = 0;
    while (true) {
      int i = text.indexOf(token, from);
      if (i < 0) {
        return false;
      }
      int end = i + token.length();
      if ((i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1)))
          && (end >= text.length() || !Character.isJavaIdentifierPart(text.charAt(end)))) {
        return true;
      }
      from = end;
    }
  }

  private static boolean hasOckToken(String text) {
    int from = 0;
    while (true) {
      int i = text.indexOf("ock", from);
      if (i < 0) {
        return false;
      }
      int start = i;
      while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
        start--;
      }
      int end = i + 3;
      while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
        end++;
      }
      if (LOCK_TOKENS.contains(text.substring(start, end))) {
        return true;
      }
      from = end;
    }
  }
}
