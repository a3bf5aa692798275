package dev.sharedstate.kv.command;

/** Redis-style glob matching with {@code *} and {@code ?} (enough for {@code CONFIG GET}). */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String text) {
    return matches(pattern, 0, text, 0);
  }

  private static boolean matches(String p, int pi, String t, int ti) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = ti; k <= t.length(); k++) {
          if (matches(p, pi + 1, t, k)) return true;
        }
        return false;
      }
      if (ti >= t.length() || (c != '?' && c != t.charAt(ti))) return false;
      pi++;
      ti++;
    }
    return ti == t.length();
  }
}
