package dev.sharedstate.lockcheck.locks;

/**
 * The kinds of lock region lockcheck understands: a closed set, each with the words diagnostics use.
 * Adding a kind is one record here plus its recognition in {@code analysis.LockOps}.
 */
public sealed interface LockRegion {

  /** The lock as the user wrote it: {@code this}, {@code lock}, {@code rw.readLock()}. */
  String lock();

  /** Short kind name for machine formats. */
  String kind();

  /** Label under the acquisition span. */
  String takenLabel();

  /** Label under the release span. */
  String releasedLabel();

  /** {@code synchronized (expr) { ... }}. */
  record SynchronizedBlock(String lock) implements LockRegion {
    public String kind() {
      return "synchronized-block";
    }

    public String takenLabel() {
      return "monitor of `" + lock + "` taken here";
    }

    public String releasedLabel() {
      return "monitor released here, at the end of the block";
    }
  }

  /** A {@code synchronized} method (the lock is {@code this}, or {@code Type.class} when static). */
  record SynchronizedMethod(String lock, String method, boolean isStatic) implements LockRegion {
    public String kind() {
      return "synchronized-method";
    }

    public String takenLabel() {
      return "`" + method + "` is synchronized: the monitor of `" + lock + "` is held for its whole body";
    }

    public String releasedLabel() {
      return "monitor released here, when `" + method + "` returns";
    }
  }

  /** {@code lock.lock()}, {@code lockInterruptibly()} or a successful {@code tryLock(...)}. */
  record ExplicitLock(String lock, String how) implements LockRegion {
    public String kind() {
      return "lock";
    }

    public String takenLabel() {
      return how.startsWith("tryLock") ? "`" + lock + "` taken here (held where `" + how + "` succeeded)"
          : "`" + lock + "` taken here";
    }

    public String releasedLabel() {
      return "`" + lock + "` released here";
    }
  }

  /** A {@code StampedLock} read or write stamp, held until unlocked with the stamp. */
  record StampedLockStamp(String lock, String mode, String stamp) implements LockRegion {
    public String kind() {
      return "stamped-lock";
    }

    public String takenLabel() {
      return "`" + lock + "` " + mode + " stamp"
          + (stamp.isEmpty() ? "" : " `" + stamp + "`") + " taken here";
    }

    public String releasedLabel() {
      return "`" + lock + "` " + mode + " stamp released here";
    }
  }

  /**
   * A lock released in a {@code finally} whose acquisition is not visible (e.g. inside a helper):
   * assumed held for the whole {@code try}, the heuristic Error Prone's HeldLockAnalyzer uses.
   */
  record AssumedFromFinally(String lock) implements LockRegion {
    public String kind() {
      return "lock-released-in-finally";
    }

    public String takenLabel() {
      return "`" + lock + "` assumed held from here: it is released in this try's finally";
    }

    public String releasedLabel() {
      return "`" + lock + "` released here";
    }
  }

  /**
   * The bin lock {@code ConcurrentHashMap.compute}, {@code computeIfAbsent}, {@code computeIfPresent}
   * and {@code merge} hold while the function passed to them runs ({@code map} is the receiver as
   * written, {@code method} the method called).
   */
  record MapBinLock(String lock, String method) implements LockRegion {
    public String kind() {
      return "map-bin-lock";
    }

    public String takenLabel() {
      return "`" + lock + "." + method + "` holds a bin lock of `" + lock + "` while its function runs";
    }

    public String releasedLabel() {
      return "bin lock released here, when `" + method + "` returns";
    }
  }

  /**
   * Whatever locks the caller of a method holds: the stand-in lock a method body is walked with when
   * lockcheck summarises whether a call to it blocks (never shown in a finding).
   */
  record CallersLocks() implements LockRegion {
    public String lock() {
      return "the caller's locks";
    }

    public String kind() {
      return "callers-locks";
    }

    public String takenLabel() {
      return "held by the caller";
    }

    public String releasedLabel() {
      return "released by the caller";
    }
  }
}
