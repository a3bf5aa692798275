package dev.sharedstate.kv.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads client requests off a byte stream: RESP arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n...}),
 * which every client library sends, and inline commands ({@code GET k\r\n}), which people type in
 * {@code telnet}. Like Redis's {@code processMultibulkBuffer}, parsing resumes where it stopped when a
 * request arrives in pieces, and each argument leaves the buffer as soon as it is complete.
 *
 * <p>Before it blocks for more bytes, {@link #read} runs the caller's {@code beforeBlocking} action:
 * the connection flushes its replies there, so every complete request is answered at once, however
 * much of the next one is already buffered (Redis does the same).
 *
 * <p>Memory: the buffer starts at {@value #SMALL_BUFFER} bytes, doubles while reads fill it (up to
 * {@value #MAX_KEPT_BUFFER}), and falls back to the small size once drained after a short read, so an
 * idle connection holds about a kilobyte. An argument of {@value #BIG_ARG} bytes or more never goes
 * through the buffer: it is read straight into chunks of {@value #CHUNK} as the bytes arrive, and
 * joined into one array of the exact size when the last byte is in, so a client that announces 500 MB
 * and sends 1 MB costs 1 MB, and a complete upload costs twice its size only for that moment.
 * Limits are checked on declared lengths before anything is allocated for them. Not thread-safe: one
 * reader per connection.
 */
public final class RespReader {
  static final int SMALL_BUFFER = 1024;
  static final int MAX_KEPT_BUFFER = 16 * 1024;
  static final int BIG_ARG = 32 * 1024; // Redis: PROTO_MBULK_BIG_ARG
  static final int CHUNK = 256 * 1024;
  private static final int MAX_HEADER_LINE = 64 * 1024; // Redis: PROTO_INLINE_MAX_SIZE
  private static final int UNAUTHENTICATED_MAX_ARRAY = 10;
  private static final int UNAUTHENTICATED_MAX_BULK = 16384;

  /** What to do before blocking for more input: flush the replies written so far. */
  @FunctionalInterface
  public interface BeforeBlocking {
    void run() throws IOException;
  }

  private final InputStream in;
  private final Limits limits;
  private final BooleanSupplier authenticated;
  private byte[] buf = new byte[SMALL_BUFFER];
  private int start; // first unconsumed byte
  private int end; // one past the last byte read
  private int lastRead; // bytes the last read returned

  // Where a multibulk request that arrived in pieces stopped.
  private int argsPending; // arguments still to read in the current request (0: none in progress)
  private long bulkLength = -1; // length of the argument whose header was read, or -1
  private BigArgument big; // the argument being read outside the buffer, or null
  private long requestBytes; // what the current request's arguments hold so far, overhead included

  public RespReader(InputStream in, Limits limits) {
    this(in, limits, () -> true);
  }

  /**
   * @param authenticated false while the client still has to {@code AUTH}: Redis then refuses arrays
   *     of more than 10 elements and bulk strings over 16 KiB, so an unauthenticated client cannot
   *     make the server allocate much
   */
  public RespReader(InputStream in, Limits limits, BooleanSupplier authenticated) {
    this.in = in;
    this.limits = limits;
    this.authenticated = authenticated;
  }

  /** True when bytes of the next request are already buffered. */
  public boolean hasBufferedInput() {
    return start < end;
  }

  /** The reader's buffer size now (for tests of the idle footprint). */
  int bufferSize() {
    return buf.length;
  }

  /**
   * Reads the next request into {@code args}, blocking until it is complete. Empty requests (a blank
   * line, {@code *0}) are skipped. {@code args} is cleared first.
   *
   * @param beforeBlocking run each time before the reader blocks for more bytes
   * @return false when the client closed the connection between two requests
   * @throws ProtocolException the bytes are not RESP, or break a limit
   * @throws EOFException the client closed the connection in the middle of a request
   */
  public boolean read(Args args, BeforeBlocking beforeBlocking) throws IOException {
    while (true) {
      if (big != null && big.complete()) {
        completeBig(args);
        if (argsPending == 0) return true;
      }
      if (big == null && start < end && parse(args)) {
        if (args.count() > 0) return true;
        continue; // an empty request: nothing to answer
      }
      beforeBlocking.run();
      boolean more = big != null ? big.readFrom(in) >= 0 : fill();
      if (!more) {
        boolean between = start == end && argsPending == 0 && bulkLength < 0 && big == null;
        args.clear();
        big = null;
        if (between) return false;
        throw new EOFException("the client closed the connection in the middle of a request");
      }
    }
  }

  /** {@link #read(Args, BeforeBlocking)} with nothing to do before blocking. */
  public boolean read(Args args) throws IOException {
    return read(args, () -> {});
  }

  /** Parses from {@code start}; true when a whole request is in {@code args}, false if more bytes are needed. */
  private boolean parse(Args args) throws ProtocolException {
    if (argsPending == 0) {
      args.clear();
      if (buf[start] != '*') return parseInline(args);
      int eol = indexOfCrlf(start + 1);
      if (eol < 0) {
        if (end - start > MAX_HEADER_LINE) throw new ProtocolException("too big mbulk count string");
        return false;
      }
      long n = string2ll(buf, start + 1, eol);
      if (n == INVALID || n > limits.maxArrayLength()) {
        throw new ProtocolException("invalid multibulk length");
      }
      if (n > UNAUTHENTICATED_MAX_ARRAY && !authenticated.getAsBoolean()) {
        throw new ProtocolException("unauthenticated multibulk length");
      }
      start = eol + 2;
      if (n <= 0) return true; // "*0" and "*-1": Redis skips them
      argsPending = (int) n;
      requestBytes = 0;
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
        long n = string2ll(buf, start + 1, eol);
        if (n == INVALID || n < 0 || n > limits.maxBulkLength()) {
          throw new ProtocolException("invalid bulk length");
        }
        if (n > UNAUTHENTICATED_MAX_BULK && !authenticated.getAsBoolean()) {
          throw new ProtocolException("unauthenticated bulk length");
        }
        requestBytes += n + Limits.ARGUMENT_OVERHEAD; // counted before anything is allocated for it
        if (requestBytes > limits.maxRequestBytes()) {
          throw new ProtocolException("request too big: its arguments pass " + limits.maxRequestBytes()
              + " bytes (" + Limits.ARGUMENT_OVERHEAD + " counted for each argument)");
        }
        bulkLength = n;
        start = eol + 2;
        if (n >= BIG_ARG) {
          big = new BigArgument((int) n);
          start += big.take(buf, start, end - start);
          if (!big.complete()) return false;
          completeBig(args);
          continue;
        }
      }
      if (end - start < bulkLength + 2) return false;
      int len = (int) bulkLength;
      checkCrlf(buf[start + len], buf[start + len + 1], len);
      args.add(Arrays.copyOfRange(buf, start, start + len));
      start += len + 2;
      bulkLength = -1;
      argsPending--;
    }
    return true;
  }

  private static void checkCrlf(byte cr, byte lf, int len) throws ProtocolException {
    if (cr != '\r' || lf != '\n') {
      throw new ProtocolException("expected CRLF after a bulk string of " + len + " bytes");
    }
  }

  private void completeBig(Args args) {
    args.add(big.array());
    big = null;
    bulkLength = -1;
    argsPending--;
  }

  /** Reads more bytes; false at end of stream. Compacts, grows while reads fill it, shrinks when drained. */
  private boolean fill() throws IOException {
    if (start == end) {
      start = end = 0;
      if (buf.length > SMALL_BUFFER && lastRead < buf.length / 4) buf = new byte[SMALL_BUFFER];
    } else if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      // The unconsumed bytes fill the buffer: a header or inline line (or a small argument) is longer
      // than the buffer. Grow geometrically with what arrived.
      long needed = bulkLength >= 0 ? bulkLength + 2 : (long) limits.maxInlineLength() + 2;
      long grown = Math.min(Math.max(needed, buf.length + 1L), (long) buf.length * 2);
      buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 16));
    } else if (lastRead == buf.length - end && buf.length < MAX_KEPT_BUFFER && start == 0 && end == 0) {
      buf = new byte[buf.length * 2]; // the last read filled the buffer: read more per call
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) return false;
    lastRead = n;
    end += n;
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
    InlineSplitter.split(buf, start, lineEnd, args);
    start = nl + 1;
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

  static final long INVALID = Long.MIN_VALUE;

  /**
   * The decimal number in {@code s[from, to)} as Redis's {@code string2ll} reads it, or {@link
   * #INVALID}: an optional '-', no leading zeros (so {@code *01} and {@code $04} are refused), no
   * '+', no blanks, and no overflow ({@code *9999999999999999999} is refused, not wrapped). Every
   * negative number reads as -1: a negative count is an empty request and a negative length is
   * refused, whatever the value, so {@code *-9223372036854775808} is skipped as Redis skips it.
   */
  static long string2ll(byte[] s, int from, int to) {
    int len = to - from;
    if (len <= 0 || len > 20) return INVALID;
    if (len == 1 && s[from] == '0') return 0;
    int i = from;
    boolean negative = s[i] == '-';
    if (negative) i++;
    if (i == to || s[i] < '1' || s[i] > '9') return INVALID;
    long v = 0; // accumulated negatively, so Long.MIN_VALUE itself parses
    for (; i < to; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9) return INVALID;
      if (v < (Long.MIN_VALUE + d) / 10) return INVALID;
      v = v * 10 - d;
    }
    if (negative) return -1;
    return v == Long.MIN_VALUE ? INVALID : -v;
  }

  private static String printable(byte b) {
    return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
  }

  /**
   * One large argument being received: chunks while it arrives, then one array of the exact size, so
   * memory follows the bytes received, not the length announced.
   */
  private static final class BigArgument {
    private final int length;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] exact;
    private int received;

    BigArgument(int length) {
      this.length = length;
      if (length <= CHUNK) exact = new byte[length];
    }

    private final byte[] crlf = new byte[2];
    private int crlfReceived;

    /** The data and the CRLF after it have arrived. */
    boolean complete() {
      return received == length && crlfReceived == 2;
    }

    /** Takes up to what the argument still needs from a buffer; returns how many bytes it took. */
    int take(byte[] src, int off, int available) throws ProtocolException {
      int n = Math.min(available, length - received);
      int done = 0;
      while (done < n) {
        Target t = target();
        int k = Math.min(n - done, t.room);
        System.arraycopy(src, off + done, t.array, t.offset, k);
        received += k;
        done += k;
      }
      while (done < available && crlfReceived < 2) crlf[crlfReceived++] = src[off + done++];
      if (crlfReceived == 2) checkCrlf(crlf[0], crlf[1], length);
      return done;
    }

    /** One read from the stream into the argument's storage; -1 at end of stream. */
    int readFrom(InputStream in) throws IOException {
      if (received < length) {
        Target t = target();
        int n = in.read(t.array, t.offset, t.room);
        if (n > 0) received += n;
        return n;
      }
      int n = in.read(crlf, crlfReceived, 2 - crlfReceived);
      if (n > 0) crlfReceived += n;
      if (crlfReceived == 2) checkCrlf(crlf[0], crlf[1], length);
      return n;
    }

    private record Target(byte[] array, int offset, int room) {}

    private Target target() {
      if (exact == null && received == length) {
        exact = new byte[length];
        int off = 0;
        for (byte[] c : chunks) {
          int k = Math.min(c.length, received - off);
          System.arraycopy(c, 0, exact, off, k);
          off += k;
        }
        chunks.clear();
      }
      if (exact != null) return new Target(exact, received, length - received);
      int inChunks = chunks.size() * CHUNK;
      if (received == inChunks) chunks.add(new byte[CHUNK]);
      byte[] last = chunks.get(chunks.size() - 1);
      int off = received - (chunks.size() - 1) * CHUNK;
      return new Target(last, off, Math.min(CHUNK - off, length - received));
    }

    byte[] array() {
      if (exact == null) target(); // received == length: assembles the exact array
      return exact;
    }
  }
}
