package dev.sharedstate.kv.command;

/** Integers as Redis reads them: strict decimal, no sign but '-', no leading zeros, no blanks. */
final class Numbers {
  private Numbers() {}

  /** Like Redis's {@code string2ll}. */
  static long parseLong(byte[] s) {
    int n = s.length;
    if (n == 0 || n > 20) throw new NumberFormatException();
    if (n == 1 && s[0] == '0') return 0;
    int i = 0;
    boolean negative = s[0] == '-';
    if (negative) i++;
    if (i == n || s[i] < '1' || s[i] > '9') throw new NumberFormatException();
    long v = 0;
    for (; i < n; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) throw new NumberFormatException();
      // Accumulate negatively so Long.MIN_VALUE parses.
      if (v < (Long.MIN_VALUE + d) / 10) throw new NumberFormatException();
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) throw new NumberFormatException();
      v = -v;
    }
    return v;
  }

  static byte[] toBytes(long v) {
    return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
