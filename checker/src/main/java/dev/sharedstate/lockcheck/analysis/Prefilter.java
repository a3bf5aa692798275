package dev.sharedstate.lockcheck.analysis;

import java.util.List;
import java.util.Set;

/**
 * A token pre-filter: a file whose text cannot start a lock region cannot have a finding, so it is not
 * parsed. Lock regions start only at the keyword {@code synchronized}, at a call to one of
 * {@link #LOCK_TOKENS} (an {@code unlock()} in a finally starts the try/finally heuristic) or at a
 * map's {@link #MAP_COMPUTE_TOKENS} (a bin lock), so a file with none of these identifiers anywhere
 * (code, comments or strings alike) is skipped. Skipped files are still parsed on demand by the source
 * index when a reported file calls into them. A unicode
 * escape could spell one, so escapes are translated first, as javac does. Sound by construction; the
 * opt-in JDK test checks that both modes report the same findings over the JDK's sources.
 */
public final class Prefilter {

  /** Identifiers that can start a lock region. Keep in step with {@code LockOps}. */
  static final Set<String> LOCK_TOKENS = Set.of(
      "synchronized", "lock", "lockInterruptibly", "tryLock", "unlock",
      "readLock", "writeLock", "readLockInterruptibly", "writeLockInterruptibly", "tryReadLock", "tryWriteLock");

  /** ConcurrentHashMap's methods that run a function under a bin lock (an implicit lock region). */
  static final List<String> MAP_COMPUTE_TOKENS = List.of("compute", "computeIfAbsent", "computeIfPresent", "merge");

  private Prefilter() {}

  /**
   * As {@link #mayHaveLockRegion(String)}, also counting the project's declared lock methods
   * ({@code lockcheck.yaml}: {@code enter}, a wrapper's {@code open}) as tokens that start a region.
   */
  public static boolean mayHaveLockRegion(String source, Set<String> extraTokens) {
    if (mayHaveLockRegion(source)) {
      return true;
    }
    if (extraTokens.isEmpty()) {
      return false;
    }
    String text = source.indexOf("\\u") >= 0 ? translateUnicodeEscapes(source) : source;
    for (String t : extraTokens) {
      if (hasToken(text, t)) {
        return true;
      }
    }
    return false;
  }

  /** True when the file may contain a lock region and must be analysed. */
  public static boolean mayHaveLockRegion(String source) {
    if (source.contains("${")) {
      return true; // a template: parse it, so that it is reported
    }
    // javac translates unicode escapes before anything else (JLS 3.3): so do we
    String text = source.indexOf("\\u") >= 0 ? translateUnicodeEscapes(source) : source;
    if (hasToken(text, "synchronized")) {
      return true;
    }
    for (String t : MAP_COMPUTE_TOKENS) {
      if (hasToken(text, t)) {
        return true;
      }
    }
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
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '"' || c == '\'') {
        if (c == '"' && text.startsWith("\"\"\"", i)) {
          int end = text.indexOf("\"\"\"", i + 3);
          while (end > 0 && text.charAt(end - 1) == '\\') {
            end = text.indexOf("\"\"\"", end + 1);
          }
          i = end < 0 ? n : end + 3;
          continue;
        }
        i++;
        while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else if (c == '#' || c == '`' || (c == '$' && i + 1 < n && text.charAt(i + 1) == '{')) {
        return i;
      } else {
        i++;
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

  private static boolean hasToken(String text, String token) {
    int from = 0;
    while (true) {
      int i = text.indexOf(token, from);
      if (i < 0) {
        return false;
      }
      int end = i + token.length();
      boolean startOk = i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1));
      boolean endOk = end >= text.length() || !Character.isJavaIdentifierPart(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      from = end;
    }
  }
}
