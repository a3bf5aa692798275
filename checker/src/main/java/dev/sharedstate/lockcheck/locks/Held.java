package dev.sharedstate.lockcheck.locks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The immutable set of locks that may be held at a program point, in acquisition order (the model of
 * Error Prone's HeldLockAnalyzer: the walker threads one of these through each body). Merging two
 * paths keeps every lock held on either ("may be held"), so a lock released on only one branch is
 * still reported on the other.
 */
public final class Held {

  public static final Held NONE = new Held(List.of());

  /** The most lock acquisitions one program point may hold before the file is given up on. */
  public static final int MAX_HELD = 256;

  private final List<HeldLock> locks;

  private Held(List<HeldLock> locks) {
    this.locks = locks;
  }

  public List<HeldLock> locks() {
    return locks;
  }

  public boolean isEmpty() {
    return locks.isEmpty();
  }

  public Held plus(HeldLock l) {
    if (locks.size() >= MAX_HELD) {
      throw new TooManyLocksHeld();
    }
    List<HeldLock> out = new ArrayList<>(locks.size() + 1);
    out.addAll(locks);
    out.add(l);
    return new Held(List.copyOf(out));
  }

  /** Releases the most recent acquisition with this key (reentrant locks count acquisitions). */
  public Held minusLatest(String key) {
    for (int i = locks.size() - 1; i >= 0; i--) {
      if (locks.get(i).key().equals(key)) {
        List<HeldLock> out = new ArrayList<>(locks);
        out.remove(i);
        return new Held(List.copyOf(out));
      }
    }
    return this;
  }

  /** Every acquisition with this key (for attaching a release to all of them). */
  public List<HeldLock> withKey(String key) {
    return locks.stream().filter(l -> l.key().equals(key)).toList();
  }

  public boolean holds(String key) {
    return locks.stream().anyMatch(l -> l.key().equals(key));
  }

  public Held without(Predicate<HeldLock> p) {
    return new Held(locks.stream().filter(p.negate()).toList());
  }

  /**
   * Locks held on either path; null stands for an unreachable path. A lock is counted per key, as
   * many times as the path that holds it most: two paths that each took it once (an unlock, a wait
   * and a lock again at the end of a loop's round, or a lock taken on either branch) hold it once,
   * so the one unlock that follows releases it. A path that took it twice holds it twice.
   */
  public static Held merge(Held a, Held b) {
    if (a == null) {
      return b;
    }
    if (b == null || a == b) {
      return a;
    }
    List<HeldLock> out = new ArrayList<>(a.locks);
    // sets and counts, not a scan per lock: deeply nested regions hold thousands of locks
    java.util.Set<Integer> ids = new java.util.HashSet<>(a.locks.size() * 2);
    java.util.Map<String, Integer> countInA = new java.util.HashMap<>();
    for (HeldLock l : a.locks) {
      ids.add(l.id());
      countInA.merge(l.key(), 1, Integer::sum);
    }
    java.util.Map<String, Integer> missing = new java.util.HashMap<>();
    for (HeldLock l : b.locks) {
      missing.merge(l.key(), 1, Integer::sum);
    }
    missing.replaceAll((key, inB) -> inB - countInA.getOrDefault(key, 0));
    for (HeldLock l : b.locks) {
      if (!ids.contains(l.id()) && missing.get(l.key()) > 0) {
        missing.merge(l.key(), -1, Integer::sum);
        ids.add(l.id());
        out.add(l);
      }
    }
    if (out.size() == a.locks.size()) {
      return a;
    }
    out.sort((x, y) -> Integer.compare(x.id(), y.id()));
    return new Held(List.copyOf(out));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Held h && h.locks.equals(locks);
  }

  @Override
  public int hashCode() {
    return locks.hashCode();
  }

  @Override
  public String toString() {
    return locks.toString();
  }
}
