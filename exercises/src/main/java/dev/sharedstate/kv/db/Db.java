package dev.sharedstate.kv.db;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.MultiKeyStore;
import dev.sharedstate.kv.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The server's layer over one {@link Store}: every command reaches the store through here, so the
 * server can keep its {@link Keyspace} index exact (it records each change inside the store's own
 * atomic step) and make several-key commands atomic for every store.
 *
 * <p><b>Several keys at once.</b> A store that implements {@link MultiKeyStore} does it itself. For
 * any other store, writes of several keys ({@code MSET}, {@code DEL k1 k2}, {@code FLUSHDB}) hold this
 * layer's {@link StampedLock} in write mode (one at a time), and reads of several keys ({@code MGET},
 * {@code EXISTS k1 k2}) are optimistic: they read, then check that no such write started meanwhile, and
 * read again if one did (after two tries they take the lock in read mode, so a stream of writes cannot
 * starve them). A reader of several keys therefore never sees half of an {@code MSET}. Single-key
 * commands take no lock here at all: they are as concurrent as the store makes them.
 */
public final class Db {
  // Weak: the server finds this layer by its store's identity, and must not keep alive a store that
  // only a closed connection used. Every caller holds the store itself while it calls in here.
  private final java.lang.ref.WeakReference<Store> storeRef;
  private final Keyspace keyspace = new Keyspace();
  private final StampedLock multiKey = new StampedLock();

  public Db(Store store) {
    this.storeRef = new java.lang.ref.WeakReference<>(store);
  }

  /** The store; null only once no connection uses it any more. */
  public Store store() {
    return storeRef.get();
  }

  private Store requireStore() {
    Store s = storeRef.get();
    if (s == null) throw new IllegalStateException("the store is no longer in use");
    return s;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  /** The entry under {@code key} as the store has it (may be expired), or null. */
  public Entry get(String key) {
    Entry e = requireStore().get(key);
    if (e != null && !keyspace.contains(key)) {
      // A store that fills itself (a cache over a slow source) added this key without an update:
      // register it through an update that changes nothing, so the index and memory stay exact.
      update(key, current -> current);
    }
    return e;
  }

  /** {@link Store#update}, recording the result in the index in the same atomic step. */
  public Entry update(String key, UnaryOperator<Entry> change) {
    return requireStore().update(key, current -> {
      Entry next = change.apply(current);
      keyspace.record(key, next);
      return next;
    });
  }

  /** The entry under {@code key} if it has not expired at {@code now}; an expired one is removed. */
  public Entry live(String key, long now) {
    Entry e = get(key);
    if (e != null && e.isExpiredAt(now)) {
      expire(key, now);
      return null;
    }
    return e;
  }

  /** Removes {@code key} if it has expired at {@code now} (unless someone wrote a fresh value meanwhile). */
  public void expire(String key, long now) {
    update(key, current -> Entry.live(current, now));
  }

  /** The live entries of {@code keys} (distinct), read as one atomic step. */
  public List<Entry> getAll(List<String> keys, long now) {
    List<Entry> raw;
    if (requireStore() instanceof MultiKeyStore m) {
      raw = m.getAll(Collections.unmodifiableList(keys));
    } else {
      raw = null;
      for (int attempt = 0; attempt < 2 && raw == null; attempt++) {
        long stamp = multiKey.tryOptimisticRead();
        if (stamp == 0) {
          Thread.onSpinWait();
          continue;
        }
        List<Entry> read = readEach(keys);
        if (multiKey.validate(stamp)) raw = read;
      }
      if (raw == null) {
        long stamp = multiKey.readLock();
        try {
          raw = readEach(keys);
        } finally {
          multiKey.unlockRead(stamp);
        }
      }
    }
    var live = new ArrayList<Entry>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Entry e = raw.get(i);
      if (e != null && e.isExpiredAt(now)) {
        expire(keys.get(i), now);
        e = null;
      }
      live.add(e);
    }
    return live;
  }

  private List<Entry> readEach(List<String> keys) {
    var out = new ArrayList<Entry>(keys.size());
    for (String k : keys) out.add(get(k));
    return out;
  }

  /**
   * Changes {@code keys} (distinct) as one atomic step for every reader of several keys: {@code
   * change.apply(i, current)} gives key i's new entry (null removes it). Returns the entries that were
   * there before (as the changes saw them).
   */
  public List<Entry> updateAll(List<String> keys, BiFunction<Integer, Entry, Entry> change) {
    Entry[] before = new Entry[keys.size()];
    if (requireStore() instanceof MultiKeyStore m) {
      m.updateAll(Collections.unmodifiableList(keys), currents -> {
        var next = new ArrayList<Entry>(currents.size());
        for (int i = 0; i < currents.size(); i++) {
          before[i] = currents.get(i);
          Entry n = change.apply(i, currents.get(i));
          keyspace.record(keys.get(i), n);
          next.add(n);
        }
        return Collections.unmodifiableList(next);
      });
      return Arrays.asList(before);
    }
    long stamp = multiKey.writeLock();
    try {
      for (int i = 0; i < keys.size(); i++) {
        int index = i;
        update(keys.get(i), current -> {
          before[index] = current;
          return change.apply(index, current);
        });
      }
    } finally {
      multiKey.unlockWrite(stamp);
    }
    return Arrays.asList(before);
  }
}
