package dev.sharedstate.kv.types;

/**
 * A value that is not a plain string: a list, set, hash or sorted set. Persistent: every change returns
 * a new value and leaves the old one as it was, so an {@link dev.sharedstate.kv.Entry} stays immutable
 * and a store may hand it to many threads, and a store that retries a change may call it twice.
 */
public sealed interface Aggregate permits ListValue, SetValue, HashValue, SortedSetValue {

  /** The name {@code TYPE} answers: {@code list}, {@code set}, {@code hash}, {@code zset}. */
  String typeName();

  /** The number of elements (members, fields). Never 0: an empty aggregate is a missing key. */
  int size();

  /** An estimate of the memory held, in bytes. */
  long memoryEstimate();
}
