package dev.sharedstate.kv;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A store that can read and change several keys as one atomic step, for {@code MSET}, {@code MGET}
 * and multi-key {@code DEL}. Optional: for a plain {@link Store} the server makes these commands atomic
 * itself, with one server-wide lock that orders them (readers of several keys never see half of a
 * write of several keys). A store that implements this interface is trusted to do it instead, and
 * the server takes no lock of its own around these commands: the sharded-store exercise's lesson is
 * to do it with the shards' own locks, taken in one global order.
 *
 * <p>The keys passed are distinct. The lists are in the order of {@code keys} and may hold nulls
 * (a missing key); they are unmodifiable.
 */
public interface MultiKeyStore extends Store {

  /** The entries of {@code keys} as they all were at one instant (null for a missing key). */
  List<Entry> getAll(List<String> keys);

  /**
   * Atomically replaces the entries of {@code keys} with {@code change.apply(current)}: nobody sees
   * some of the keys changed and others not. A null in the result removes that key. The same rules as
   * {@link Store#update} apply to {@code change}: short, never blocks, never calls the store, may be
   * called again with newer entries by a store that retries. Returns what {@code change} returned.
   */
  List<Entry> updateAll(List<String> keys, UnaryOperator<List<Entry>> change);
}
