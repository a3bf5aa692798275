package dev.sharedstate.kv;

/**
 * What a store keeps under a key: the value's bytes and when it expires. Immutable by contract: nobody
 * writes into {@code value} once the entry exists, so a store may hand the same entry to many threads.
 *
 * <p>Stores never look inside an entry: expiry, {@code SET NX}, {@code INCR} and the rest are decided
 * by the server's commands, in the function passed to {@link Store#update}.
 *
 * @param value the bytes of the value
 * @param expiresAtMillis when the entry stops existing, in {@link System#currentTimeMillis()} time, or
 *     {@link #NEVER}
 */
public record Entry(byte[] value, long expiresAtMillis) {

  /** {@code expiresAtMillis} of an entry that never expires. */
  public static final long NEVER = 0;

  public Entry {
    if (value == null) throw new NullPointerException("value");
  }

  /** An entry that never expires. */
  public static Entry of(byte[] value) {
    return new Entry(value, NEVER);
  }

  /** True if this entry has an expiry time that is not after {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return expiresAtMillis != NEVER && expiresAtMillis <= nowMillis;
  }

  /** {@code entry} if it exists and has not expired at {@code nowMillis}, else null. */
  public static Entry live(Entry entry, long nowMillis) {
    return entry == null || entry.isExpiredAt(nowMillis) ? null : entry;
  }

  /** The value as text (UTF-8), for messages and tests. */
  public String text() {
    return new String(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Entry[" + text() + (expiresAtMillis == NEVER ? "" : ", expires " + expiresAtMillis) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.expiresAtMillis == expiresAtMillis
        && java.util.Arrays.equals(e.value, value);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(value) * 31 + Long.hashCode(expiresAtMillis);
  }
}
