package dev.sharedstate.chapters.markdown;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The content of an {@code ```output} fence: what the preceding block must print. {@code line} is
 * the 1-based line of the opening fence, {@code endLine} that of the closing fence (or the last line
 * of the file when unclosed), so the text can be rewritten in place ("bless").
 *
 * <p>Two wildcards keep nondeterministic parts out of the comparison:
 *
 * <ul>
 *   <li>{@code [..]} inside a line matches any run of characters (possibly none) on that line;
 *   <li>a line that is exactly {@code ...} matches any number of whole lines (possibly none).
 * </ul>
 *
 * Trailing whitespace on each line and trailing blank lines are ignored on both sides.
 */
public record ExpectedOutput(int line, int endLine, String text) {

  /** The wildcard that matches any characters within one line. */
  public static final String ANY_TEXT = "[..]";

  /** The line that matches any number of lines. */
  public static final String ANY_LINES = "...";

  /**
   * Whether the fence says nothing but wildcards: every line is {@code [..]} (possibly repeated),
   * {@code ...}, or blank, and at least one is not blank. Such a fence matches any output, so it checks nothing and hides what the
   * block prints; the parser reports it.
   */
  public boolean onlyWildcards() {
    return isOnlyWildcards(text);
  }

  /** {@link #onlyWildcards()} for a fence's text. */
  public static boolean isOnlyWildcards(String text) {
    boolean anyWildcard = false;
    for (String line : normalise(text)) {
      String rest = line.replace(ANY_TEXT, "").strip();
      if (!rest.isEmpty() && !rest.equals(ANY_LINES)) {
        return false;
      }
      anyWildcard |= !line.isBlank();
    }
    return anyWildcard;
  }

  /** Whether {@code actual} matches this expectation, wildcards included. */
  public boolean matches(String actual) {
    return matches(text, actual);
  }

  /** Whether {@code actual} matches the pattern text {@code expected}, wildcards included. */
  public static boolean matches(String expected, String actual) {
    List<String> want = normalise(expected);
    List<String> got = normalise(actual);
    return matchLines(want, 0, got, 0, new Boolean[want.size() + 1][got.size() + 1]);
  }

  /** Lines with trailing whitespace stripped, trailing blank lines removed, {@code \r} dropped. */
  static List<String> normalise(String s) {
    List<String> lines = new ArrayList<>();
    for (String l : s.replace("\r", "").split("\n", -1)) {
      lines.add(l.stripTrailing());
    }
    while (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    return lines;
  }

  private static boolean matchLines(
      List<String> want, int i, List<String> got, int j, Boolean[][] memo) {
    if (memo[i][j] != null) {
      return memo[i][j];
    }
    boolean result;
    if (i == want.size()) {
      result = j == got.size();
    } else if (want.get(i).strip().equals(ANY_LINES)) {
      result = false;
      for (int k = j; k <= got.size() && !result; k++) {
        result = matchLines(want, i + 1, got, k, memo);
      }
    } else {
      result =
          j < got.size()
              && lineMatches(want.get(i), got.get(j))
              && matchLines(want, i + 1, got, j + 1, memo);
    }
    memo[i][j] = result;
    return result;
  }

  /** One expected line (with {@code [..]} wildcards) against one actual line. */
  static boolean lineMatches(String want, String got) {
    if (!want.contains(ANY_TEXT)) {
      return want.equals(got);
    }
    StringBuilder regex = new StringBuilder();
    String[] parts = want.split(Pattern.quote(ANY_TEXT), -1);
    for (int p = 0; p < parts.length; p++) {
      if (p > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(parts[p]));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(got).matches();
  }
}
