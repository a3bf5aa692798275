package dev.sharedstate.kv;

import java.util.function.UnaryOperator;

/**
 * The storage behind the server's commands: the one interface each exercise implements. Two
 * operations are enough for every command ({@code SET NX}, {@code INCR}, {@code DEL}, expiry...),
 * because the server builds each command as a function of the key's current entry and asks the store
 * to apply it atomically.
 *
 * <p>Many connections call a store at once, each on its own virtual thread. A store is correct when
 * every {@link #update} behaves as if it ran alone: nobody sees it half done, and two updates of the
 * same key never both read the same old entry (that is how an {@code INCR} gets lost).
 */
public interface Store extends AutoCloseable {

  /**
   * The entry stored under {@code key}, or null if there is none. It may have expired: the server
   * checks.
   */
  Entry get(String key);

  /**
   * Atomically replaces the entry under {@code key} with {@code change.apply(current)}, where
   * {@code current} is the entry there now (null if none); a null result removes the key. Returns what
   * {@code change} returned.
   *
   * <p>{@code change} is short, never blocks and never calls back into the store; a store may call it
   * while holding a lock. A store that retries optimistically may call it more than once, with the
   * latest entry each time. If {@code change} throws, the store is left as it was and the exception
   * propagates.
   */
  Entry update(String key, UnaryOperator<Entry> change);

  /** Releases threads or other resources the store owns. The server never calls a store after this. */
  @Override
  default void close() {}
}
