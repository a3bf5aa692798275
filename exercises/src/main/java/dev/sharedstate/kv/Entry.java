package dev.sharedstate.kv;

import dev.sharedstate.kv.types.Aggregate;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a store keeps under a key: a value and when it expires. The value is a string (bytes, in
 * {@link #value()}) or, for {@code LPUSH}, {@code SADD}, {@code HSET} and {@code ZADD}, an {@link
 * Aggregate} (a list, set, hash or sorted set, in {@link #aggregate()}). Immutable by contract: nobody
 * writes into {@code value} once the entry exists, and aggregates are persistent (a change makes a new
 * one), so a store may hand the same entry to many threads.
 *
 * <p>Stores never look inside an entry: expiry, {@code SET NX}, {@code INCR}, types and the rest are
 * decided by the server's commands, in the function passed to {@link Store#update}.
 *
 * @param value the bytes of a string value; empty for an aggregate
 * @param expiresAtMillis when the entry stops existing, in {@link System#currentTimeMillis()} time, or
 *     {@link #NEVER}
 * @param aggregate the list, set, hash or sorted set, or null for a string
 */
public record Entry(byte[] value, long expiresAtMillis, Aggregate aggregate) {

  /** {@code expiresAtMillis} of an entry that never expires. */
  public static final long NEVER = 0;

  private static final byte[] NONE = new byte[0];

  public Entry {
    if (aggregate != null) value = NONE;
    else Objects.requireNonNull(value, "value");
  }

  /** A string entry: the original two-component form, which every store and test may keep using. */
  public Entry(byte[] value, long expiresAtMillis) {
    this(value, expiresAtMillis, null);
  }

  /** A string entry that never expires. */
  public static Entry of(byte[] value) {
    return new Entry(value, NEVER);
  }

  /** An aggregate (list, set, hash, sorted set) entry. */
  public static Entry of(Aggregate aggregate, long expiresAtMillis) {
    return new Entry(NONE, expiresAtMillis, Objects.requireNonNull(aggregate, "aggregate"));
  }

  /** True for a string value (bytes); false for a list, set, hash or sorted set. */
  public boolean isString() {
    return aggregate == null;
  }

  /** What {@code TYPE} answers: {@code string}, {@code list}, {@code set}, {@code hash} or {@code zset}. */
  public String type() {
    return aggregate == null ? "string" : aggregate.typeName();
  }

  /** The same value with another expiry. */
  public Entry withExpiry(long expiresAtMillis) {
    return new Entry(value, expiresAtMillis, aggregate);
  }

  /** An estimate of the memory this entry holds, in bytes, for the server's {@code maxmemory}. */
  public long memoryEstimate() {
    return 48 + (aggregate == null ? 16 + value.length : aggregate.memoryEstimate());
  }

  /** True if this entry has an expiry time that is not after {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return expiresAtMillis != NEVER && expiresAtMillis <= nowMillis;
  }

  /** {@code entry} if it exists and has not expired at {@code nowMillis}, else null. */
  public static Entry live(Entry entry, long nowMillis) {
    return entry == null || entry.isExpiredAt(nowMillis) ? null : entry;
  }

  /** The value as text (UTF-8), for messages and tests; an aggregate's description. */
  public String text() {
    return aggregate == null ? new String(value, StandardCharsets.UTF_8) : aggregate.toString();
  }

  @Override
  public String toString() {
    return "Entry[" + text() + (expiresAtMillis == NEVER ? "" : ", expires " + expiresAtMillis) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.expiresAtMillis == expiresAtMillis
        && Arrays.equals(e.value, value)
        && Objects.equals(e.aggregate, aggregate);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(value) * 31 + Long.hashCode(expiresAtMillis)) * 31 + Objects.hashCode(aggregate);
  }
}
