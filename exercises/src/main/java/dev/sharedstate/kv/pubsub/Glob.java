package dev.sharedstate.kv.pubsub;

/**
 * Redis's glob-style matching ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]}, {@code
 * [^a]}, {@code [a-z]} and {@code \} to escape, over one char per byte. Used by {@code KEYS}, {@code
 * SCAN MATCH}, {@code PSUBSCRIBE} and {@code CONFIG GET}. Like Redis's, it never matches an empty
 * string against a non-empty pattern.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String text) {
    return matches(pattern, 0, text, 0, false, 0);
  }

  public static boolean matchesIgnoreCase(String pattern, String text) {
    return matches(pattern, 0, text, 0, true, 0);
  }

  private static boolean matches(String p, int pi, String s, int si, boolean nocase, int depth) {
    if (depth > 1000) return false; // Redis bounds the recursion too
    // Redis's loop runs while both pattern and string have characters left, so an empty string
    // matches only the empty pattern: "*" and "**" do not match "" here (KEYS * and SCAN without
    // MATCH still list the empty key: they do not call the matcher for a lone "*").
    if (si >= s.length()) return pi >= p.length();
    while (pi < p.length()) {
      char c = p.charAt(pi);
      switch (c) {
        case '*' -> {
          while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') pi++;
          if (pi + 1 == p.length()) return true;
          for (int k = si; k <= s.length(); k++) {
            if (matches(p, pi + 1, s, k, nocase, depth + 1)) return true;
          }
          return false;
        }
        case '?' -> {
          if (si >= s.length()) return false;
          si++;
        }
        case '[' -> {
          if (si >= s.length()) return false;
          pi++;
          boolean not = pi < p.length() && p.charAt(pi) == '^';
          if (not) pi++;
          boolean match = false;
          while (true) {
            if (pi >= p.length()) {
              pi--; // Redis: an unterminated class ends at the pattern's end
              break;
            }
            char pc = p.charAt(pi);
            if (pc == '\\' && pi + 1 < p.length()) {
              pi++;
              if (eq(p.charAt(pi), s.charAt(si), nocase)) match = true;
            } else if (pc == ']') {
              break;
            } else if (pi + 2 < p.length() && p.charAt(pi + 1) == '-') {
              char start = p.charAt(pi);
              char end = p.charAt(pi + 2);
              char t = s.charAt(si);
              if (start > end) {
                char tmp = start;
                start = end;
                end = tmp;
              }
              if (nocase) {
                start = Character.toLowerCase(start);
                end = Character.toLowerCase(end);
                t = Character.toLowerCase(t);
              }
              pi += 2;
              if (t >= start && t <= end) match = true;
            } else if (eq(pc, s.charAt(si), nocase)) {
              match = true;
            }
            pi++;
          }
          if (not) match = !match;
          if (!match) return false;
          si++;
        }
        case '\\' -> {
          if (pi + 1 < p.length()) pi++;
          if (si >= s.length() || !eq(p.charAt(pi), s.charAt(si), nocase)) return false;
          si++;
        }
        default -> {
          if (si >= s.length() || !eq(c, s.charAt(si), nocase)) return false;
          si++;
        }
      }
      pi++;
      if (si >= s.length()) {
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        break;
      }
    }
    return pi >= p.length() && si >= s.length();
  }

  private static boolean eq(char a, char b, boolean nocase) {
    return nocase ? Character.toLowerCase(a) == Character.toLowerCase(b) : a == b;
  }
}
