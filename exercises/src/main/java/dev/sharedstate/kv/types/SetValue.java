package dev.sharedstate.kv.types;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A set of members (binary-safe strings, one char per byte). Copy-on-write: a change copies the set,
 * so it suits the small sets {@code redis-benchmark} and {@code redis-cli} sessions make; a set of
 * many thousands of members is slow to change (each {@code SADD} costs O(n)).
 */
public final class SetValue implements Aggregate {
  private final Set<String> members;
  private final long bytes;

  private SetValue(Set<String> members) {
    this.members = Collections.unmodifiableSet(members);
    long b = 0;
    for (String m : members) b += 48 + m.length();
    this.bytes = b;
  }

  /** A set of {@code members}, or null if there are none (an empty set is a missing key). */
  public static SetValue of(Collection<String> members) {
    return members.isEmpty() ? null : new SetValue(new LinkedHashSet<>(members));
  }

  public Set<String> members() {
    return members;
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public int size() {
    return members.size();
  }

  @Override
  public long memoryEstimate() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SetValue s && s.members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  @Override
  public String toString() {
    return "set" + members;
  }
}
