package dev.sharedstate.kv.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber's outbox, as Redis's {@code client-output-buffer-limit pubsub 32mb 8mb 60}: publishers
 * never wait, a subscriber over the hard limit is dropped at once, one over the soft limit only after
 * staying over it for the soft period.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutboxTest {
  private static final long SECOND = 1_000_000_000L;

  /** A socket whose reader never reads: the first write blocks until the test ends. */
  private static final class StuckSocket extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  @DisplayName("a stuck subscriber never blocks the publisher; over the hard limit it is dropped once, and later offers fail fast")
  void hardLimit() throws Exception {
    var dropped = new AtomicInteger();
    var box = new Outbox(100, 80, 60 * SECOND, () -> 0L, dropped::incrementAndGet);
    var socket = new StuckSocket();
    Thread writer = box.start(socket, "test-outbox");
    try {
      assertTrue(box.offer(new byte[60]));
      long deadline = System.nanoTime() + 5 * SECOND;
      while (box.queuedBytes() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
      assertEquals(0, box.queuedBytes(), "the writer took the first frame and is now stuck writing it");
      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 100; i++) if (box.offer(new byte[10])) accepted++;
      assertTrue(System.nanoTime() - start < 5 * SECOND, "offers must not wait for the stuck writer");
      assertEquals(10, accepted, "100 bytes fit in the queue; the 11th offer of 10 overflows it");
      assertEquals(1, dropped.get(), "the overflow action runs exactly once");
      assertFalse(box.offer(new byte[1]), "a dropped subscriber takes nothing more");
    } finally {
      socket.release.countDown();
      writer.join(5000);
    }
  }

  @Test
  @DisplayName("over the soft limit for longer than the soft period (checked when a message is queued) drops the subscriber; dropping back under it restarts the period")
  void softLimit() throws Exception {
    var now = new AtomicLong();
    var dropped = new AtomicInteger();
    var box = new Outbox(1000, 100, 60 * SECOND, now::get, dropped::incrementAndGet);
    // No writer yet: nothing leaves the queue.
    for (int i = 0; i < 15; i++) assertTrue(box.offer(new byte[10])); // 150 bytes: over the soft limit since t=0
    now.set(59 * SECOND);
    assertTrue(box.offer(new byte[10]), "59 s over the soft limit is allowed");
    now.set(61 * SECOND);
    assertFalse(box.offer(new byte[10]), "61 s over the soft limit is not");
    assertEquals(1, dropped.get());

    var box2 = new Outbox(1000, 100, 60 * SECOND, now::get, dropped::incrementAndGet);
    now.set(0);
    for (int i = 0; i < 15; i++) assertTrue(box2.offer(new byte[10]));
    var sink = new ByteArrayOutputStream();
    Thread writer = box2.start(sink, "test-outbox-2"); // drains: back under the soft limit
    long deadline = System.nanoTime() + 5 * SECOND;
    while (box2.queuedBytes() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals(0, box2.queuedBytes());
    now.set(100 * SECOND);
    assertTrue(box2.offer(new byte[10]), "the period restarted when the queue drained");
    box2.close();
    writer.join(5000);
    assertEquals(160, sink.size(), "everything queued was written, in one piece");
    assertEquals(1, dropped.get());
  }
}
