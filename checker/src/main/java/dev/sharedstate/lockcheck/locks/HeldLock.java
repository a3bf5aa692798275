package dev.sharedstate.lockcheck.locks;

import dev.sharedstate.lockcheck.Span;

/**
 * One acquisition of a lock, alive on some path: its region kind, the canonical key used to match its
 * release ({@code monitor:this}, {@code lock:rw.readLock()}), where it was taken, and an id unique in
 * its file (so its releases can be attached to findings later).
 */
public record HeldLock(LockRegion region, String key, Span acquired, int id) {

  public boolean isMonitor() {
    return key.startsWith(MONITOR);
  }

  public static final String MONITOR = "monitor:";
  public static final String LOCK = "lock:";
  public static final String STAMPED = "stamped:";
}
