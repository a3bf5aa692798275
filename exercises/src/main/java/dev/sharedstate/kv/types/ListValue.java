package dev.sharedstate.kv.types;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A persistent double-ended list: pushes and pops at either end make a new list in O(1) (amortized),
 * sharing everything else with the old one, which stays valid for whoever holds it. Two immutable
 * linked stacks: the front in order, the back reversed; when one side runs out, half of the other is
 * moved over (a banker's deque). Reading a range walks from the nearer stack.
 */
public final class ListValue implements Aggregate {
  private record Node(byte[] value, Node next) {}

  /** The list with no elements (never stored: an empty list is a missing key). */
  public static final ListValue EMPTY = new ListValue(null, 0, null, 0, 0);

  private static final int NODE_OVERHEAD = 40;

  private final Node front;
  private final int frontSize;
  private final Node back; // reversed: its head is the list's last element
  private final int backSize;
  private final long bytes;

  private ListValue(Node front, int frontSize, Node back, int backSize, long bytes) {
    this.front = front;
    this.frontSize = frontSize;
    this.back = back;
    this.backSize = backSize;
    this.bytes = bytes;
  }

  @Override
  public String typeName() {
    return "list";
  }

  @Override
  public int size() {
    return frontSize + backSize;
  }

  @Override
  public long memoryEstimate() {
    return bytes;
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** A new list with {@code value} first. */
  public ListValue pushFront(byte[] value) {
    return new ListValue(new Node(value, front), frontSize + 1, back, backSize, bytes + cost(value));
  }

  /** A new list with {@code value} last. */
  public ListValue pushBack(byte[] value) {
    return new ListValue(front, frontSize, new Node(value, back), backSize + 1, bytes + cost(value));
  }

  /** The first element; the list must not be empty. */
  public byte[] first() {
    return frontSize > 0 ? front.value : nodeAt(back, backSize - 1).value;
  }

  /** The last element; the list must not be empty. */
  public byte[] last() {
    return backSize > 0 ? back.value : nodeAt(front, frontSize - 1).value;
  }

  /** The list without its first element; the list must not be empty. */
  public ListValue popFront() {
    if (isEmpty()) throw new IllegalStateException("empty list");
    ListValue l = frontSize > 0 ? this : rebalance(true);
    return new ListValue(l.front.next, l.frontSize - 1, l.back, l.backSize, l.bytes - cost(l.front.value));
  }

  /** The list without its last element; the list must not be empty. */
  public ListValue popBack() {
    if (isEmpty()) throw new IllegalStateException("empty list");
    ListValue l = backSize > 0 ? this : rebalance(false);
    return new ListValue(l.front, l.frontSize, l.back.next, l.backSize - 1, l.bytes - cost(l.back.value));
  }

  /** Element {@code index} (0 is the first), which must exist. */
  public byte[] get(int index) {
    if (index < frontSize) return nodeAt(front, index).value;
    return nodeAt(back, backSize - 1 - (index - frontSize)).value;
  }

  /** Elements {@code from} to {@code to}, both included, which must be valid indexes with from &lt;= to. */
  public List<byte[]> range(int from, int to) {
    var out = new ArrayList<byte[]>(to - from + 1);
    if (from < frontSize) {
      Node n = nodeAt(front, from);
      for (int i = from; i <= Math.min(to, frontSize - 1); i++, n = n.next) out.add(n.value);
    }
    if (to >= frontSize) {
      int lo = Math.max(from, frontSize) - frontSize; // indexes into the back part, in list order
      int hi = to - frontSize;
      var tail = new ArrayList<byte[]>(hi - lo + 1);
      Node n = nodeAt(back, backSize - 1 - hi);
      for (int i = hi; i >= lo; i--, n = n.next) tail.add(n.value);
      Collections.reverse(tail);
      out.addAll(tail);
    }
    return out;
  }

  /** Moves half of the other side over when the side {@code forFront} names is empty. */
  private ListValue rebalance(boolean forFront) {
    Node source = forFront ? back : front;
    int n = forFront ? backSize : frontSize;
    int keep = n / 2; // the nodes nearest the source's head stay on the source side (copied)
    var kept = new ArrayList<byte[]>(keep);
    Node s = source;
    for (int i = 0; i < keep; i++, s = s.next) kept.add(s.value);
    Node keptList = null;
    for (int i = kept.size() - 1; i >= 0; i--) keptList = new Node(kept.get(i), keptList);
    Node moved = null; // the rest, reversed onto the empty side
    for (; s != null; s = s.next) moved = new Node(s.value, moved);
    return forFront
        ? new ListValue(moved, n - keep, keptList, keep, bytes)
        : new ListValue(keptList, keep, moved, n - keep, bytes);
  }

  private static Node nodeAt(Node n, int index) {
    for (int i = 0; i < index; i++) n = n.next;
    return n;
  }

  private static long cost(byte[] value) {
    return NODE_OVERHEAD + value.length;
  }

  /** The elements in order. */
  public List<byte[]> toList() {
    return isEmpty() ? List.of() : range(0, size() - 1);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ListValue l) || l.size() != size()) return false;
    List<byte[]> a = toList();
    List<byte[]> b = l.toList();
    for (int i = 0; i < a.size(); i++) if (!java.util.Arrays.equals(a.get(i), b.get(i))) return false;
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (byte[] v : toList()) h = h * 31 + java.util.Arrays.hashCode(v);
    return h;
  }

  @Override
  public String toString() {
    var sb = new StringBuilder("list[");
    List<byte[]> all = toList();
    for (int i = 0; i < Math.min(all.size(), 10); i++) {
      if (i > 0) sb.append(", ");
      sb.append(new String(all.get(i), StandardCharsets.UTF_8));
    }
    if (all.size() > 10) sb.append(", ... ").append(all.size()).append(" in all");
    return sb.append(']').toString();
  }
}
