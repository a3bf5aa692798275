package dev.sharedstate.kv.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads client requests off a byte stream: RESP arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n...}),
 * which every client library sends, and inline commands ({@code GET k\r\n}), which people type in
 * {@code telnet}. Like Redis's {@code processMultibulkBuffer}, parsing resumes where it stopped when a
 * request arrives in pieces, and each argument leaves the buffer as soon as it is complete, so the
 * buffer only ever holds one argument's bytes.
 *
 * <p>Limits are checked on the declared lengths before anything is allocated for them, and the buffer
 * grows only with bytes that actually arrived: a client that announces a 500 MB value and disconnects
 * costs nothing. Not thread-safe: one reader per connection.
 */
public final class RespReader {
  private static final int INITIAL_BUFFER = 16 * 1024;
  private static final int MAX_HEADER_LINE = 64 * 1024; // Redis: PROTO_INLINE_MAX_SIZE

  private final InputStream in;
  private final Limits limits;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int start; // first unconsumed byte
  private int end; // one past the last byte read

  // Where a multibulk request that arrived in pieces stopped.
  private int argsPending; // arguments still to read in the current request (0: none in progress)
  private long bulkLength = -1; // length of the argument whose header was read, or -1

  public RespReader(InputStream in, Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /**
   * True when bytes of the next request are already buffered. The connection flushes its replies only
   * when this is false, so a pipeline of requests gets its replies in one write.
   */
  public boolean hasBufferedInput() {
    return start < end;
  }

  /**
   * Reads the next request into {@code args}, blocking until it is complete. Empty requests (a blank
   * line, {@code *0}) are skipped.
   *
   * @return false when the client closed the connection between two requests
   * @throws ProtocolException the bytes are not RESP, or break a limit
   * @throws EOFException the client closed the connection in the middle of a request
   */
  public boolean read(Args args) throws IOException {
    while (true) {
      if (start < end && parse(args)) {
        if (args.count() > 0) return true;
        continue; // an empty request: nothing to answer
      }
      if (!fill()) {
        boolean between = start == end && argsPending == 0 && bulkLength < 0;
        if (between) return false;
        throw new EOFException("the client closed the connection in the middle of a request");
      }
    }
  }

  /** Parses from {@code start}; true when a whole request is in {@code args}, false if more bytes are needed. */
  private boolean parse(Args args) throws ProtocolException {
    if (argsPending == 0) {
      if (buf[start] != '*') return parseInline(args);
      int eol = indexOfCrlf(start + 1);
      if (eol < 0) {
        if (end - start > MAX_HEADER_LINE) throw new ProtocolException("too big mbulk count string");
        return false;
      }
      long n = parseLong(start + 1, eol);
      if (n == Long.MIN_VALUE || n > limits.maxArrayLength()) {
        throw new ProtocolException("invalid multibulk length");
      }
      start = eol + 2;
      args.clear();
      if (n <= 0) return true; // "*0" and "*-1": Redis skips them
      argsPending = (int) n;
    }
    while (argsPending > 0) {
      if (bulkLength < 0) {
        if (start >= end) return false;
        if (buf[start] != '$') {
          throw new ProtocolException("expected '$', got '" + printable(buf[start]) + "'");
        }
        int eol = indexOfCrlf(start + 1);
        if (eol < 0) {
          if (end - start > MAX_HEADER_LINE) throw new ProtocolException("too big bulk count string");
          return false;
        }
        long n = parseLong(start + 1, eol);
        if (n < 0 || n > limits.maxBulkLength()) throw new ProtocolException("invalid bulk length");
        bulkLength = n;
        start = eol + 2;
      }
      if (end - start < bulkLength + 2) return false;
      int len = (int) bulkLength;
      if (buf[start + len] != '\r' || buf[start + len + 1] != '\n') {
        throw new ProtocolException("expected CRLF after a bulk string of " + len + " bytes");
      }
      args.add(Arrays.copyOfRange(buf, start, start + len));
      start += len + 2;
      bulkLength = -1;
      argsPending--;
    }
    return true;
  }

  /** An inline command: one line, arguments split on blanks, with Redis's quoting rules. */
  private boolean parseInline(Args args) throws ProtocolException {
    int nl = -1;
    int scanEnd = Math.min(end, start + limits.maxInlineLength() + 2);
    for (int i = start; i < scanEnd; i++) {
      if (buf[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (nl < 0) {
      if (end - start > limits.maxInlineLength()) throw new ProtocolException("too big inline request");
      return false;
    }
    int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
    if (lineEnd - start > limits.maxInlineLength()) throw new ProtocolException("too big inline request");
    args.clear();
    InlineSplitter.split(buf, start, lineEnd, args);
    start = nl + 1;
    return true;
  }

  /** Reads more bytes; false at end of stream. Compacts, and grows only when a single argument needs it. */
  private boolean fill() throws IOException {
    if (start == end) {
      start = end = 0;
      if (buf.length > 4 * INITIAL_BUFFER && bulkLength < 0) buf = new byte[INITIAL_BUFFER];
    } else if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      // The unconsumed bytes fill the buffer: one argument (or header line) is longer than the buffer.
      // Grow geometrically with what arrived, up to what the current argument needs.
      long needed = bulkLength >= 0 ? bulkLength + 2 : (long) limits.maxInlineLength() + 2;
      long grown = Math.min(Math.max(needed, buf.length + 1L), (long) buf.length * 2);
      if (grown > Integer.MAX_VALUE - 16) throw new ProtocolException("request too large");
      buf = Arrays.copyOf(buf, (int) grown);
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) return false;
    end += n;
    return true;
  }

  /** The index of the CR of the first CRLF from {@code from}, or -1 if the line is not complete yet. */
  private int indexOfCrlf(int from) throws ProtocolException {
    for (int i = from; i < end; i++) {
      if (buf[i] == '\r') {
        if (i + 1 == end) return -1;
        if (buf[i + 1] != '\n') throw new ProtocolException("expected CRLF at the end of a header line");
        return i;
      }
    }
    return -1;
  }

  /** The decimal number in buf[from, to), or Long.MIN_VALUE if it is not one (like Redis's string2ll). */
  private long parseLong(int from, int to) {
    if (from >= to || to - from > 19) return Long.MIN_VALUE;
    boolean negative = buf[from] == '-';
    int i = negative ? from + 1 : from;
    if (i == to) return Long.MIN_VALUE;
    long v = 0;
    for (; i < to; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) return Long.MIN_VALUE;
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  private static String printable(byte b) {
    return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
  }
}
