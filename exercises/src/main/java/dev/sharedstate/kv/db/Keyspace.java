package dev.sharedstate.kv.db;

import dev.sharedstate.kv.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The server's own index of the keys in one store: which keys exist, when each expires, and about how
 * much memory each holds. It is what lets {@code KEYS}, {@code SCAN}, {@code DBSIZE}, {@code FLUSHDB},
 * active expiry and {@code maxmemory} work with every {@link dev.sharedstate.kv.Store}, whose interface
 * has no way to list keys.
 *
 * <p>{@link Db} keeps it exact by recording each change inside the function it hands the store, so the
 * index changes in the same atomic step as the store and in the same order. Sixteen segments, each a
 * small chained hash table behind its own lock (never held while calling anything else), so recording
 * does not make every write in the server contend on one lock.
 *
 * <p>{@link #scan} is Redis's {@code dictScan}: a reverse-binary cursor over each segment's table, so
 * a full iteration returns every key that existed from its start to its end at least once, even when
 * tables grow or shrink between calls.
 */
public final class Keyspace {
  private static final int SEGMENT_BITS = 4;
  private static final int SEGMENTS = 1 << SEGMENT_BITS;
  private static final int KEY_OVERHEAD = 96;

  private final Segment[] segments = new Segment[SEGMENTS];
  private final AtomicLong memory = new AtomicLong();
  private int expiryCursorSegment;

  public Keyspace() {
    for (int i = 0; i < SEGMENTS; i++) segments[i] = new Segment();
  }

  private static int hash(String key) {
    int h = key.hashCode();
    return h ^ (h >>> 16);
  }

  private static int segmentOf(int hash) {
    return (hash * 0x9E3779B9) >>> (32 - SEGMENT_BITS);
  }

  /** Records that {@code key} now holds {@code next} (null: the key is gone). */
  void record(String key, Entry next) {
    int h = hash(key);
    Segment s = segments[segmentOf(h)];
    long delta;
    s.lock.lock();
    try {
      delta = s.record(key, h, next);
    } finally {
      s.lock.unlock();
    }
    if (delta != 0) memory.addAndGet(delta);
  }

  /** True if the index has {@code key} (expired or not). */
  public boolean contains(String key) {
    int h = hash(key);
    Segment s = segments[segmentOf(h)];
    s.lock.lock();
    try {
      return s.all.find(key, h) != null;
    } finally {
      s.lock.unlock();
    }
  }

  /** How many keys there are, including expired ones not yet removed (as Redis's {@code DBSIZE}). */
  public long size() {
    long n = 0;
    for (Segment s : segments) {
      s.lock.lock();
      try {
        n += s.all.size;
      } finally {
        s.lock.unlock();
      }
    }
    return n;
  }

  /** The estimated memory of every key and value, in bytes. */
  public long memory() {
    return memory.get();
  }

  /** Every key that has not expired at {@code now}. */
  public List<String> keys(long now) {
    var out = new ArrayList<String>();
    for (Segment s : segments) {
      s.lock.lock();
      try {
        s.all.forEach(n -> {
          if (n.expiresAt == Entry.NEVER || n.expiresAt > now) out.add(n.key);
        });
      } finally {
        s.lock.unlock();
      }
    }
    return out;
  }

  /**
   * One {@code SCAN} step from {@code cursor}: hands {@code out} the unexpired keys of the buckets it
   * visits, until about {@code count} keys or {@code 10 * count} buckets, and returns the next cursor
   * (0 when the iteration is complete).
   */
  public long scan(long cursor, long count, long now, Consumer<String> out) {
    int seg = (int) (cursor & (SEGMENTS - 1));
    long inner = cursor >>> SEGMENT_BITS;
    long found = 0;
    long buckets = 0;
    long maxBuckets = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : Math.max(count * 10, 10);
    do {
      Segment s = segments[seg];
      var emitted = new long[1];
      s.lock.lock();
      try {
        inner = s.all.scan(inner, n -> {
          if (n.expiresAt == Entry.NEVER || n.expiresAt > now) {
            out.accept(n.key);
            emitted[0]++;
          }
        });
      } finally {
        s.lock.unlock();
      }
      found += emitted[0];
      buckets++;
      if (inner == 0) {
        if (++seg == SEGMENTS) return 0;
      }
    } while (found < count && buckets < maxBuckets);
    return (inner << SEGMENT_BITS) | seg;
  }

  /**
   * One sampling step of active expiry, as Redis's {@code activeExpireCycle}: walks the table of keys
   * that have an expiry from where the last step stopped, looks at up to {@code sample} of them (and
   * at most {@code 20 * sample} buckets), and adds those expired at {@code now} to {@code expired}.
   *
   * @return how many keys with an expiry it looked at (0: there are none)
   */
  public int sampleExpiring(int sample, long now, List<String> expired) {
    int sampled = 0;
    int buckets = 0;
    for (int tries = 0; tries < SEGMENTS && sampled < sample && buckets < sample * 20; tries++) {
      Segment s = segments[expiryCursorSegment];
      s.lock.lock();
      try {
        while (s.expiring.size > 0 && sampled < sample && buckets < sample * 20) {
          Dict.Node[] table = s.expiring.table;
          int idx = (int) (s.expiringCursor & (table.length - 1));
          for (Dict.Node n = table[idx]; n != null; n = n.next) {
            sampled++;
            if (n.expiresAt <= now) expired.add(n.key);
          }
          buckets++;
          s.expiringCursor++;
          if ((s.expiringCursor & (table.length - 1)) == 0) break; // a full pass of this segment
        }
      } finally {
        s.lock.unlock();
      }
      if (sampled < sample) expiryCursorSegment = (expiryCursorSegment + 1) & (SEGMENTS - 1);
    }
    return sampled;
  }

  /** How many keys have an expiry. */
  public long expiringSize() {
    long n = 0;
    for (Segment s : segments) {
      s.lock.lock();
      try {
        n += s.expiring.size;
      } finally {
        s.lock.unlock();
      }
    }
    return n;
  }

  private static final class Segment {
    final ReentrantLock lock = new ReentrantLock();
    final Dict all = new Dict();
    final Dict expiring = new Dict();
    long expiringCursor;

    /** Returns the change in memory. */
    long record(String key, int h, Entry next) {
      Dict.Node node = all.find(key, h);
      long before = node == null ? 0 : node.bytes;
      if (next == null) {
        if (node != null) {
          all.remove(key, h);
          if (node.expiresAt != Entry.NEVER) expiring.remove(key, h);
        }
        return -before;
      }
      long bytes = KEY_OVERHEAD + 2L * key.length() + next.memoryEstimate();
      if (node == null) node = all.insert(key, h);
      long oldExpiry = node.expiresAt;
      node.bytes = bytes;
      node.expiresAt = next.expiresAtMillis();
      if (next.expiresAtMillis() != Entry.NEVER) {
        Dict.Node e = oldExpiry != Entry.NEVER ? expiring.find(key, h) : expiring.insert(key, h);
        e.expiresAt = next.expiresAtMillis();
      } else if (oldExpiry != Entry.NEVER) {
        expiring.remove(key, h);
      }
      return bytes - before;
    }
  }

  /** A chained hash table with a power-of-two size, resized whole (it is one segment's share). */
  static final class Dict {
    static final class Node {
      final String key;
      final int hash;
      long bytes;
      long expiresAt;
      Node next;

      Node(String key, int hash, Node next) {
        this.key = key;
        this.hash = hash;
        this.next = next;
      }
    }

    Node[] table = new Node[4];
    int size;

    Node find(String key, int h) {
      for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
        if (n.hash == h && n.key.equals(key)) return n;
      }
      return null;
    }

    Node insert(String key, int h) {
      if (size >= table.length) resize(table.length * 2);
      int i = h & (table.length - 1);
      Node n = new Node(key, h, table[i]);
      table[i] = n;
      size++;
      return n;
    }

    void remove(String key, int h) {
      int i = h & (table.length - 1);
      for (Node prev = null, n = table[i]; n != null; prev = n, n = n.next) {
        if (n.hash == h && n.key.equals(key)) {
          if (prev == null) table[i] = n.next;
          else prev.next = n.next;
          size--;
          if (table.length > 4 && size < table.length / 8) resize(table.length / 2);
          return;
        }
      }
    }

    private void resize(int length) {
      Node[] old = table;
      table = new Node[length];
      for (Node head : old) {
        for (Node n = head; n != null; ) {
          Node next = n.next;
          int i = n.hash & (length - 1);
          n.next = table[i];
          table[i] = n;
          n = next;
        }
      }
    }

    void forEach(Consumer<Node> action) {
      for (Node head : table) for (Node n = head; n != null; n = n.next) action.accept(n);
    }

    /** Redis's {@code dictScan} on one table: visits bucket {@code v}, returns the next cursor. */
    long scan(long v, Consumer<Node> action) {
      if (size == 0) return 0;
      long m0 = table.length - 1;
      for (Node n = table[(int) (v & m0)]; n != null; n = n.next) action.accept(n);
      v |= ~m0;
      v = Long.reverse(v);
      v++;
      v = Long.reverse(v);
      return v;
    }
  }
}
