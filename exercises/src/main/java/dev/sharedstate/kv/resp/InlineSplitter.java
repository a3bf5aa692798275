package dev.sharedstate.kv.resp;

import java.io.ByteArrayOutputStream;

/**
 * Splits an inline command line into arguments the way Redis's {@code sdssplitargs} does: blanks
 * separate arguments (a vertical tab or form feed only where an argument would start); {@code "..."} may hold blanks and the escapes {@code \n \r \t \b \a \\ \" \xHH};
 * {@code '...'} may hold blanks and {@code \'}. A closing quote must be followed by a blank or the end
 * of the line.
 */
final class InlineSplitter {
  private InlineSplitter() {}

  static void split(byte[] buf, int from, int to, Args out) throws ProtocolException {
    int i = from;
    var token = new ByteArrayOutputStream();
    while (true) {
      while (i < to && isBlank(buf[i])) i++;
      if (i >= to) return;
      boolean inDouble = false;
      boolean inSingle = false;
      token.reset();
      while (true) {
        if (inDouble) {
          if (i >= to) throw unbalanced();
          byte c = buf[i];
          if (c == '\\' && i + 3 < to && buf[i + 1] == 'x' && isHex(buf[i + 2]) && isHex(buf[i + 3])) {
            token.write(hex(buf[i + 2]) * 16 + hex(buf[i + 3]));
            i += 3;
          } else if (c == '\\' && i + 1 < to) {
            i++;
            token.write(
                switch (buf[i]) {
                  case 'n' -> '\n';
                  case 'r' -> '\r';
                  case 't' -> '\t';
                  case 'b' -> '\b';
                  case 'a' -> 7;
                  default -> buf[i];
                });
          } else if (c == '"') {
            if (i + 1 < to && !isBlank(buf[i + 1])) throw unbalanced();
            i++;
            break;
          } else {
            token.write(c);
          }
        } else if (inSingle) {
          if (i >= to) throw unbalanced();
          byte c = buf[i];
          if (c == '\\' && i + 1 < to && buf[i + 1] == '\'') {
            token.write('\'');
            i++;
          } else if (c == '\'') {
            if (i + 1 < to && !isBlank(buf[i + 1])) throw unbalanced();
            i++;
            break;
          } else {
            token.write(c);
          }
        } else {
          if (i >= to || endsWord(buf[i])) break;
          byte c = buf[i];
          if (c == '"') inDouble = true;
          else if (c == '\'') inSingle = true;
          else token.write(c);
        }
        i++;
      }
      out.add(token.toByteArray());
    }
  }

  private static ProtocolException unbalanced() {
    return new ProtocolException("unbalanced quotes in request");
  }

  /**
   * What ends an unquoted argument: fewer bytes than {@link #isBlank}, as in {@code sdssplitargs}, so a
   * vertical tab or form feed inside a word stays in it ({@code "ECHO\vA"} is one argument).
   */
  private static boolean endsWord(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0;
  }

  /** C's {@code isspace} (and NUL): skipped between arguments, and allowed after a closing quote. */
  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0 || b == 0x0b || b == 0x0c;
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  private static int hex(byte b) {
    return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
  }
}
