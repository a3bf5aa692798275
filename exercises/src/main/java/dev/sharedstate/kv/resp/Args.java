package dev.sharedstate.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one request, as the client sent them: binary-safe byte arrays. {@code get(0)} is
 * the command name. The reader reuses one {@code Args} per connection; the byte arrays themselves are
 * fresh for every request, so a command may keep them (a {@code SET} value is stored as is).
 *
 * <p>Keys become {@link String}s decoded as ISO-8859-1: one char per byte, so every binary key
 * round-trips exactly and, for ASCII keys, the string is the one you expect.
 */
public final class Args {
  private byte[][] items = new byte[8][];
  private int count;

  /** The number of arguments, the command name included. */
  public int count() {
    return count;
  }

  /** Argument {@code i} (0 is the command name). */
  public byte[] get(int i) {
    if (i >= count) throw new IndexOutOfBoundsException(i + " >= " + count);
    return items[i];
  }

  /** Argument {@code i} as a key: one char per byte (ISO-8859-1), so binary keys round-trip. */
  public String string(int i) {
    return new String(get(i), StandardCharsets.ISO_8859_1);
  }

  /** True if argument {@code i} equals {@code word}, ignoring ASCII case ({@code word} is upper case). */
  public boolean is(int i, String word) {
    return equalsIgnoreCase(get(i), word);
  }

  /** True if {@code bytes} spell {@code upper} (which must be upper-case ASCII), ignoring ASCII case. */
  public static boolean equalsIgnoreCase(byte[] bytes, String upper) {
    if (bytes.length != upper.length()) return false;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i];
      if (b >= 'a' && b <= 'z') b -= 32;
      if (b != upper.charAt(i)) return false;
    }
    return true;
  }

  /**
   * Empties the list, dropping the references to the arguments (a connection must not keep its last
   * request's 100 MB value alive while it idles), and shrinks it after an unusually long request.
   */
  public void clear() {
    Arrays.fill(items, 0, count, null);
    count = 0;
    if (items.length > 1024) items = new byte[8][];
  }

  /** Appends an argument; the array grows with what actually arrived, never with what was declared. */
  public void add(byte[] arg) {
    if (count == items.length) items = Arrays.copyOf(items, items.length * 2);
    items[count++] = arg;
  }

  @Override
  public String toString() {
    var sb = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      if (i > 0) sb.append(", ");
      sb.append(new String(items[i], StandardCharsets.ISO_8859_1));
    }
    return sb.append(']').toString();
  }
}
