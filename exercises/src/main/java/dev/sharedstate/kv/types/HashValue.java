package dev.sharedstate.kv.types;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hash: fields (binary-safe strings, one char per byte) to byte values, in insertion order as a
 * small Redis hash answers {@code HGETALL}. Copy-on-write: suits small hashes; each change costs O(n).
 */
public final class HashValue implements Aggregate {
  private final Map<String, byte[]> fields;
  private final long bytes;

  private HashValue(Map<String, byte[]> fields) {
    this.fields = Collections.unmodifiableMap(fields);
    long b = 0;
    for (var e : fields.entrySet()) b += 64 + e.getKey().length() + e.getValue().length;
    this.bytes = b;
  }

  /** A hash of {@code fields}, or null if there are none (an empty hash is a missing key). */
  public static HashValue of(Map<String, byte[]> fields) {
    return fields.isEmpty() ? null : new HashValue(new LinkedHashMap<>(fields));
  }

  public Map<String, byte[]> fields() {
    return fields;
  }

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public int size() {
    return fields.size();
  }

  @Override
  public long memoryEstimate() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HashValue h) || h.fields.size() != fields.size()) return false;
    for (var e : fields.entrySet()) {
      if (!Arrays.equals(e.getValue(), h.fields.get(e.getKey()))) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    return fields.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "hash" + fields.keySet();
  }
}
