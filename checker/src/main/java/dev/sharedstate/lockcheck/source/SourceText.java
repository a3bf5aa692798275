package dev.sharedstate.lockcheck.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A file's bytes decoded as UTF-8: the text (byte-order mark removed, malformed bytes replaced by
 * U+FFFD so the rest can still be analysed) and, when there were malformed bytes, where the first was.
 */
public record SourceText(String text, boolean hadBom, int badLine, int badColumn, int badByte) {

  public boolean isValidUtf8() {
    return badLine == 0;
  }

  public static SourceText decode(byte[] bytes) {
    int start = 0;
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    if (bom) {
      start = 3;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      String text = strict.decode(in).toString();
      return new SourceText(text, bom, 0, 0, 0);
    } catch (CharacterCodingException e) {
      // find the first bad byte for the message, then decode leniently
      in = ByteBuffer.wrap(bytes, start, bytes.length - start);
      CharBuffer out = CharBuffer.allocate(bytes.length + 1);
      CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      CoderResult r = d.decode(in, out, true);
      int badByte = r.isError() && in.hasRemaining() ? in.get(in.position()) & 0xFF : 0;
      out.flip();
      String prefix = out.toString();
      int line = 1;
      int col = 1;
      for (int i = 0; i < prefix.length(); i++) {
        if (prefix.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      String lenient = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
      return new SourceText(lenient, bom, line, col, badByte);
    }
  }
}
