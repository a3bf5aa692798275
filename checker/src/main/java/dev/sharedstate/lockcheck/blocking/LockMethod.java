package dev.sharedstate.lockcheck.blocking;

import java.util.List;

/**
 * A lock method: a call of {@code method} on a receiver of type {@code owner} (or a subtype;
 * {@code null}: any receiver) takes or releases the lock its receiver stands for, or, for a
 * {@link Kind#WRAPPER}, returns an {@code AutoCloseable} that holds that lock until it is closed
 * ({@code try (AutoLock l = lock.lock()) { ... }}). Declared by a project ({@code lockcheck.yaml}) or by
 * a library unit of the built-in catalogue (Jetty's {@code AutoLock}, Guava's {@code Monitor}).
 *
 * @param arities the argument counts this kind applies to (empty: any), so that Guava's
 *     {@code Monitor.enter()} takes the lock and {@code enter(timeout)} only tries
 * @param byNameWhenUnresolved whether a receiver whose type cannot be resolved matches by the name it
 *     was written with; false for a library unit's lock methods, whose types are known by qualified
 *     name (an unresolved {@code Monitor} from some other package is not Guava's)
 */
public record LockMethod(String owner, String method, Kind kind, List<Integer> arities, boolean byNameWhenUnresolved) {

  /** What a call of the method does. */
  public enum Kind {
    /** Takes the receiver's lock ({@code Guard#enter}). */
    LOCK,
    /** Releases the receiver's lock ({@code Guard#exit}). */
    UNLOCK,
    /** Takes the receiver's lock and returns a handle that releases it when closed. */
    WRAPPER,
    /**
     * Tries to take the receiver's lock and returns true when it did ({@code Monitor.tryEnter()},
     * {@code enterIf(guard)}): the lock is held where the result is true, as for {@code tryLock}.
     */
    TRY_LOCK
  }

  public LockMethod {
    arities = List.copyOf(arities);
  }

  public LockMethod(String owner, String method, Kind kind) {
    this(owner, method, kind, List.of(), true);
  }

  /** True when a call with {@code argCount} arguments is this kind of lock operation. */
  public boolean acceptsArity(int argCount) {
    return arities.isEmpty() || arities.contains(argCount);
  }

  /** Parses {@code [qualified.Owner#]method}. */
  public static LockMethod parse(String spec, Kind kind) {
    ImmediateCaller c = ImmediateCaller.parse(spec);
    return new LockMethod(c.owner(), c.method(), kind);
  }
}
