package dev.sharedstate.kv.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes RESP2 replies into a buffer that goes to the socket on {@link #flush()}. The connection
 * flushes before it waits for the client's next bytes, so a pipeline of 16 {@code GET}s costs one
 * write, not 16, and no complete request waits for an answer.
 *
 * <p>Memory: the buffer is allocated on the first reply ({@value #SMALL_BUFFER} bytes), grows as
 * needed, and falls back to the small size after a flush that used little of it, so an idle
 * connection holds at most a kilobyte here. A value of {@value #BIG_VALUE} bytes or more is not copied:
 * the writer keeps a reference to it and writes it straight to the socket. Not thread-safe: one
 * writer per connection.
 */
public final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL_BULK = ascii("$-1\r\n");
  private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
  private static final byte[] NO_BUFFER = new byte[0];
  static final int SMALL_BUFFER = 1024;
  static final int BIG_VALUE = 16 * 1024;

  private OutputStream out;
  private byte[] buf = NO_BUFFER;
  private int len;
  /** Written before {@code buf}: filled buffers and big values, in order (each with its length). */
  private final List<byte[]> parts = new ArrayList<>();
  private final List<Integer> partLengths = new ArrayList<>();

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

  /** {@code $len} then the bytes: a binary-safe string. A big value is written from where it is. */
  public void bulk(byte[] value) {
    put((byte) '$');
    putLong(value.length);
    put(CRLF);
    if (value.length >= BIG_VALUE) {
      parts.add(buf);
      partLengths.add(len);
      parts.add(value);
      partLengths.add(value.length);
      buf = new byte[SMALL_BUFFER];
      len = 0;
    } else {
      put(value);
    }
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
  public long mark() {
    return ((long) parts.size() << 32) | len;
  }

  /** Drops what was written since {@code mark} (nothing was flushed in between). */
  public void rewind(long mark) {
    int partCount = (int) (mark >>> 32);
    int markLen = (int) mark;
    if (partCount > parts.size() || (partCount == parts.size() && markLen > len)) {
      throw new IllegalArgumentException("bad mark " + mark);
    }
    if (partCount < parts.size()) {
      buf = parts.get(partCount);
      parts.subList(partCount, parts.size()).clear();
      partLengths.subList(partCount, partLengths.size()).clear();
    }
    len = markLen;
  }

  /** How many bytes wait for {@link #flush()}. */
  public long buffered() {
    long n = len;
    for (int k : partLengths) n += k;
    return n;
  }

  /** Sends what is buffered somewhere else from now on (a subscriber's delivery queue). */
  public void redirect(OutputStream to) {
    this.out = to;
  }

  /** Sends everything buffered to the socket. */
  public void flush() throws IOException {
    int used = len;
    for (int i = 0; i < parts.size(); i++) {
      if (partLengths.get(i) > 0) out.write(parts.get(i), 0, partLengths.get(i));
    }
    parts.clear();
    partLengths.clear();
    if (len > 0) out.write(buf, 0, len);
    len = 0;
    // Keep a buffer that this flush used well; give back one that was mostly empty or is large.
    if (buf.length > SMALL_BUFFER && (used < buf.length / 4 || buf.length > 4 * BIG_VALUE)) {
      buf = new byte[SMALL_BUFFER];
    }
  }

  /** The buffer's size now (for tests of the idle footprint). */
  int bufferSize() {
    return buf.length;
  }

  /** Drops the buffer entirely (before the connection goes idle for long, or ends). */
  public void release() {
    if (len == 0 && parts.isEmpty()) buf = NO_BUFFER;
  }

  /** Everything written so far, as one array (for building a frame to send to many clients). */
  public byte[] toByteArray() {
    var all = new java.io.ByteArrayOutputStream((int) buffered());
    for (int i = 0; i < parts.size(); i++) all.write(parts.get(i), 0, partLengths.get(i));
    all.write(buf, 0, len);
    return all.toByteArray();
  }

  /** {@link #flush()} for a writer redirected to a sink that cannot fail (a subscriber's outbox). */
  public void flushUnchecked() {
    try {
      flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
    if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, SMALL_BUFFER), len + n));
  }
}
