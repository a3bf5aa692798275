package dev.sharedstate.kv.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 15, item 2: what a connection's reader and writer hold, and allocate, for large and idle clients. */
class BufferMemoryTest {
  private static final int MB = 1024 * 1024;

  /** {@code length} zero bytes, produced without allocating them. */
  private static InputStream zeros(long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) return -1;
        int n = (int) Math.min(len, Math.min(left, 64 * 1024));
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
  }

  private static InputStream ascii(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  @DisplayName("a partial upload costs about the bytes received, not the length announced (or three times it)")
  void partialUploadCostsWhatArrived() {
    long received = 40L * MB;
    var in = new SequenceInputStream(ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + 64 * MB + "\r\n"), zeros(received));
    var reader = new RespReader(in, Limits.DEFAULT);
    long before = allocated();
    assertThrows(EOFException.class, () -> reader.read(new Args()));
    long used = allocated() - before;
    assertTrue(used < received * 1.2, "allocated " + used / MB + " MB for " + received / MB + " MB received");
  }

  @Test
  @DisplayName("a complete large upload is read without copying through the buffer: at most twice its size, once")
  void completeUploadCostsTwiceAtMost() throws IOException {
    int size = 64 * MB;
    var in = new SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
        ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + size + "\r\n"), zeros(size), ascii("\r\n"))));
    var reader = new RespReader(in, Limits.DEFAULT);
    var args = new Args();
    long before = allocated();
    assertTrue(reader.read(args));
    long used = allocated() - before;
    assertEquals(size, args.get(2).length);
    assertTrue(used < size * 2.1, "allocated " + used / MB + " MB for a " + size / MB + " MB value");
  }

  @Test
  @DisplayName("after a 1 MB argument, the reader holds a small buffer again, and Args nothing")
  void readerShrinksAfterLargeRequest() throws IOException {
    var in = new SequenceInputStream(ascii("*2\r\n$4\r\nECHO\r\n$" + MB + "\r\n"),
        new SequenceInputStream(zeros(MB), ascii("\r\n")));
    var reader = new RespReader(in, Limits.DEFAULT);
    var args = new Args();
    assertTrue(reader.read(args));
    assertTrue(reader.bufferSize() <= RespReader.MAX_KEPT_BUFFER, "reader buffer " + reader.bufferSize());
    args.clear();
    assertEquals(0, args.count());
  }

  @Test
  @DisplayName("the writer starts with no buffer, and does not keep one sized for a large reply")
  void writerStaysSmall() throws IOException {
    var sink = new ByteArrayOutputStream();
    var writer = new RespWriter(sink);
    assertEquals(0, writer.bufferSize(), "an idle connection that never got a reply holds no buffer");
    writer.bulk(new byte[MB]);
    writer.flush();
    assertTrue(writer.bufferSize() <= 4 * RespWriter.BIG_VALUE, "writer buffer " + writer.bufferSize());
    assertEquals("$1048576\r\n".length() + MB + 2, sink.size());
    for (int i = 0; i < 100; i++) writer.bulk(new byte[100]);
    writer.flush();
    writer.simple("OK");
    writer.flush();
    assertTrue(writer.bufferSize() <= RespWriter.SMALL_BUFFER, "after small replies: " + writer.bufferSize());
  }

  @Test
  @DisplayName("a reply rewound past a large value drops it and keeps what was written before")
  void rewindAcrossLargeValue() throws IOException {
    var sink = new ByteArrayOutputStream();
    var writer = new RespWriter(sink);
    writer.simple("FIRST");
    long mark = writer.mark();
    writer.array(2);
    writer.bulk(new byte[RespWriter.BIG_VALUE * 2]);
    writer.rewind(mark);
    writer.error("ERR replaced");
    writer.flush();
    assertEquals("+FIRST\r\n-ERR replaced\r\n", sink.toString(StandardCharsets.US_ASCII));
  }
}
