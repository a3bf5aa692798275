package dev.sharedstate.lockcheck.blocking;

/**
 * A lock method declared by the project (in {@code lockcheck.yaml}): a call of {@code method} on a
 * receiver of type {@code owner} (or a subtype; {@code null}: any receiver) takes or releases the lock
 * its receiver stands for, or, for a {@link Kind#WRAPPER}, returns an {@code AutoCloseable} that holds
 * that lock until it is closed ({@code try (AutoLock l = lock.lock()) { ... }}).
 */
public record LockMethod(String owner, String method, Kind kind) {

  /** What a call of the method does. */
  public enum Kind {
    /** Takes the receiver's lock ({@code Guard#enter}). */
    LOCK,
    /** Releases the receiver's lock ({@code Guard#exit}). */
    UNLOCK,
    /** Takes the receiver's lock and returns a handle that releases it when closed. */
    WRAPPER
  }

  /** Parses {@code [qualified.Owner#]method}. */
  public static LockMethod parse(String spec, Kind kind) {
    ImmediateCaller c = ImmediateCaller.parse(spec);
    return new LockMethod(c.owner(), c.method(), kind);
  }
}
