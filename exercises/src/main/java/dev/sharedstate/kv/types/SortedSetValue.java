package dev.sharedstate.kv.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sorted set: members (binary-safe strings, one char per byte) with a score each, ordered by score
 * then by member, as Redis orders them. Copy-on-write: suits small sorted sets; each change costs O(n).
 */
public final class SortedSetValue implements Aggregate {
  /** One member and its score. */
  public record Scored(String member, double score) {}

  private static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::score).thenComparing(Scored::member);

  private final List<Scored> ordered;
  private final Map<String, Double> scores;

  private SortedSetValue(Map<String, Double> scores) {
    this.scores = Collections.unmodifiableMap(scores);
    var list = new ArrayList<Scored>(scores.size());
    scores.forEach((m, s) -> list.add(new Scored(m, s)));
    list.sort(ORDER);
    this.ordered = Collections.unmodifiableList(list);
  }

  /** A sorted set of these scores, or null if there are none (an empty sorted set is a missing key). */
  public static SortedSetValue of(Map<String, Double> scores) {
    return scores.isEmpty() ? null : new SortedSetValue(new HashMap<>(scores));
  }

  /** Member to score. */
  public Map<String, Double> scores() {
    return scores;
  }

  /** The members in Redis's order: by score, then by member. */
  public List<Scored> ordered() {
    return ordered;
  }

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public int size() {
    return scores.size();
  }

  @Override
  public long memoryEstimate() {
    long b = 0;
    for (String m : scores.keySet()) b += 96 + m.length();
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SortedSetValue z && z.scores.equals(scores);
  }

  @Override
  public int hashCode() {
    return scores.hashCode();
  }

  @Override
  public String toString() {
    return "zset" + ordered;
  }
}
