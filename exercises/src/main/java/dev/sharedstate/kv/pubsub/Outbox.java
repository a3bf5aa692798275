package dev.sharedstate.kv.pubsub;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A subscribed connection's outgoing bytes: its replies and the messages published to it, in order,
 * written to the socket by the outbox's own virtual thread. {@link #offer} never blocks, so a
 * publisher never waits for a slow subscriber. As Redis's {@code client-output-buffer-limit pubsub
 * 32mb 8mb 60}: a subscriber that falls more than the hard limit behind, or stays more than the soft
 * limit behind for longer than the soft period (checked, as in Redis, when something is queued), is
 * disconnected.
 *
 * <p>The writer takes everything queued at once (up to {@value #BATCH_BYTES} bytes) and writes it with
 * one flush, so a subscriber that keeps up costs one system call per batch, not per message.
 */
public final class Outbox extends OutputStream {
  /** Redis's hard limit for a pub/sub client's output buffer. */
  public static final long DEFAULT_LIMIT = 32L * 1024 * 1024;
  /** Redis's soft limit for a pub/sub client's output buffer... */
  public static final long DEFAULT_SOFT_LIMIT = 8L * 1024 * 1024;
  /** ...and how long a client may stay over it. */
  public static final long DEFAULT_SOFT_SECONDS = 60;
  private static final int BATCH_BYTES = 256 * 1024;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition nonEmpty = lock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final long limit;
  private final long softLimit;
  private final long softNanos;
  private final LongSupplier nanoClock;
  private final Runnable overflow;
  private long queuedBytes;
  private long overSoftSince = -1; // nanoClock time the queue went over the soft limit, or -1
  private boolean closed;

  /**
   * Redis's soft limit (8 MB for 60 s) and the given hard limit.
   *
   * @param overflow run once when the subscriber falls too far behind (closes the connection)
   */
  public Outbox(long limit, Runnable overflow) {
    this(limit, Math.min(limit, DEFAULT_SOFT_LIMIT), TimeUnit.SECONDS.toNanos(DEFAULT_SOFT_SECONDS), System::nanoTime,
        overflow);
  }

  /** With a soft limit and period of its own, and a clock (tests). */
  public Outbox(long limit, long softLimit, long softNanos, LongSupplier nanoClock, Runnable overflow) {
    this.limit = limit;
    this.softLimit = softLimit;
    this.softNanos = softNanos;
    this.nanoClock = nanoClock;
    this.overflow = overflow;
  }

  /** Starts the thread that writes to {@code socketOut}; it ends when the outbox is closed. */
  public Thread start(OutputStream socketOut, String name) {
    return Thread.ofVirtual().name(name).start(() -> drain(socketOut));
  }

  /** Queues a frame; never blocks. False if the outbox is closed or over its limit. */
  public boolean offer(byte[] frame) {
    return offerThen(frame, null);
  }

  /**
   * Queues a frame, then runs {@code then} before any other frame can be queued: a {@code SUBSCRIBE}
   * confirmation goes out before any message of the channel, and once the client has it, it is
   * subscribed. {@code then} must be short and never block.
   */
  public boolean offerThen(byte[] frame, Runnable then) {
    boolean over;
    lock.lock();
    try {
      if (then != null) then.run();
      if (closed) return false;
      long queued = queuedBytes + frame.length;
      over = queued > limit;
      if (!over && queued > softLimit) {
        long now = nanoClock.getAsLong();
        if (overSoftSince < 0) overSoftSince = now;
        else over = now - overSoftSince > softNanos;
      }
      if (!over) {
        queue.add(frame);
        queuedBytes = queued;
        nonEmpty.signal();
      } else {
        closed = true;
        queue.clear();
        queuedBytes = 0;
        nonEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
    if (over) overflow.run();
    return !over;
  }

  /** Bytes queued and not yet taken by the writer. */
  public long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(int b) {
    offer(new byte[] {(byte) b});
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len > 0) offer(java.util.Arrays.copyOfRange(b, off, off + len));
  }

  /** Stops the writer thread once what is queued has been written. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      nonEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  private void drain(OutputStream socket) {
    var out = new BufferedOutputStream(socket, 16 * 1024);
    var batch = new ArrayList<byte[]>();
    try {
      while (true) {
        lock.lock();
        try {
          while (queue.isEmpty() && !closed) nonEmpty.await();
          if (queue.isEmpty()) return; // closed and drained
          long taken = 0;
          while (!queue.isEmpty() && taken < BATCH_BYTES) {
            byte[] frame = queue.poll();
            batch.add(frame);
            taken += frame.length;
          }
          queuedBytes -= taken;
          if (queuedBytes <= softLimit) overSoftSince = -1;
        } finally {
          lock.unlock();
        }
        for (byte[] frame : batch) out.write(frame); // no lock held: a slow client delays only this thread
        out.flush();
        batch.clear();
      }
    } catch (IOException | InterruptedException e) {
      close();
    }
  }
}
