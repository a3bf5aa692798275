package dev.sharedstate.kv.pubsub;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A subscribed connection's outgoing bytes: its replies and the messages published to it, in order,
 * written to the socket by the outbox's own virtual thread. {@link #offer} never blocks, so a
 * publisher never waits for a slow subscriber; a subscriber that falls more than {@code limit} bytes
 * behind is disconnected, as Redis's {@code client-output-buffer-limit pubsub 32mb} does.
 */
public final class Outbox extends OutputStream {
  /** Redis's hard limit for a pub/sub client's output buffer. */
  public static final long DEFAULT_LIMIT = 32L * 1024 * 1024;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition nonEmpty = lock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final long limit;
  private final Runnable overflow;
  private long queuedBytes;
  private boolean closed;

  /**
   * @param overflow run once when the subscriber falls too far behind (closes the connection)
   */
  public Outbox(long limit, Runnable overflow) {
    this.limit = limit;
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
      over = queuedBytes + frame.length > limit;
      if (!over) {
        queue.add(frame);
        queuedBytes += frame.length;
        nonEmpty.signal();
      } else {
        closed = true;
        queue.clear();
        nonEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
    if (over) overflow.run();
    return !over;
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

  private void drain(OutputStream out) {
    try {
      while (true) {
        byte[] frame;
        boolean more;
        lock.lock();
        try {
          while (queue.isEmpty() && !closed) nonEmpty.await();
          frame = queue.poll();
          if (frame == null) return; // closed and drained
          queuedBytes -= frame.length;
          more = !queue.isEmpty();
        } finally {
          lock.unlock();
        }
        out.write(frame); // no lock held: a slow client delays only this thread
        if (!more) out.flush();
      }
    } catch (IOException | InterruptedException e) {
      close();
    }
  }
}
