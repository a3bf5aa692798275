package dev.sharedstate.kv.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes RESP2 replies into a buffer that goes to the socket on {@link #flush()}. The connection
 * flushes only once the client has no more requests buffered, so a pipeline of 16 {@code GET}s costs
 * one write, not 16. Not thread-safe: one writer per connection.
 */
public final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL_BULK = ascii("$-1\r\n");
  private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
  private static final int INITIAL_BUFFER = 16 * 1024;

  private final OutputStream out;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int len;

  public RespWriter(OutputStream out) {
    this.out = out;
  }

  /** {@code +text}: a status reply such as {@code OK}. CR and LF in {@code text} become blanks. */
  public void simple(String text) {
    put((byte) '+');
    putLine(text);
  }

  /**
   * {@code -message}: an error reply. By convention the message starts with an upper-case code
   * ({@code ERR}, {@code WRONGTYPE}, {@code NOPROTO}). CR and LF become blanks.
   */
  public void error(String message) {
    put((byte) '-');
    putLine(message);
  }

  /** {@code :n}. */
  public void integer(long n) {
    put((byte) ':');
    putLong(n);
    put(CRLF);
  }

  /** {@code $len} then the bytes: a binary-safe string. */
  public void bulk(byte[] value) {
    put((byte) '$');
    putLong(value.length);
    put(CRLF);
    put(value);
    put(CRLF);
  }

  /** A bulk string of a Java string's chars, one byte each (ISO-8859-1), the inverse of key decoding. */
  public void bulk(String latin1) {
    bulk(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@code $-1}: the RESP2 null, for a missing key. */
  public void nullBulk() {
    put(NULL_BULK);
  }

  /** {@code *-1}: the RESP2 null array. */
  public void nullArray() {
    put(NULL_ARRAY);
  }

  /** {@code *n}: an array header; the caller then writes {@code n} elements. */
  public void array(int n) {
    put((byte) '*');
    putLong(n);
    put(CRLF);
  }

  /** Bytes that already are a complete RESP reply (a constant such as {@code +OK\r\n}). */
  public void raw(byte[] encoded) {
    put(encoded);
  }

  /** A position to {@link #rewind} to if the reply being written has to be replaced by an error. */
  public int mark() {
    return len;
  }

  /** Drops what was written since {@code mark} (nothing was flushed in between). */
  public void rewind(int mark) {
    if (mark < 0 || mark > len) throw new IllegalArgumentException("bad mark " + mark);
    len = mark;
  }

  /** How many bytes wait for {@link #flush()}. */
  public int buffered() {
    return len;
  }

  /** Sends everything buffered to the socket. */
  public void flush() throws IOException {
    if (len > 0) {
      out.write(buf, 0, len);
      len = 0;
    }
    if (buf.length > 4 * INITIAL_BUFFER) buf = new byte[INITIAL_BUFFER];
  }

  /** Encodes an ASCII constant once, for {@link #raw(byte[])}. */
  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void putLine(String text) {
    int n = text.length();
    ensure(n + 2);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      buf[len++] = (byte) (c == '\r' || c == '\n' ? ' ' : c);
    }
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void putLong(long v) {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      put(ascii(Long.toString(v)));
      return;
    }
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    if (v < 10) {
      buf[len++] = (byte) ('0' + v);
      return;
    }
    int digits = 0;
    for (long t = v; t > 0; t /= 10) digits++;
    int pos = len + digits;
    for (long t = v; t > 0; t /= 10) buf[--pos] = (byte) ('0' + t % 10);
    len += digits;
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void ensure(int n) {
    if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
  }
}
