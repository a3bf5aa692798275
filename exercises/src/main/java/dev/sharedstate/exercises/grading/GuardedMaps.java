package dev.sharedstate.exercises.grading;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Subclasses of the JDK's thread-unsafe maps that report each call to a {@link MapGuard.Access}: a change
 * in place, or a read. Same contents, same behaviour, one class per concrete map so that a field declared
 * {@code HashMap} or {@code TreeMap} can hold one. The views ({@code keySet}, {@code values},
 * {@code entrySet}) and their iterators report too. Not covered (a miss, never a false report): a TreeMap's
 * navigation methods and sub-maps, the sequenced-map methods, {@code Entry.setValue}.
 */
final class GuardedMaps {
  private GuardedMaps() {}

  /** A copy of {@code map} of the same concrete class that reports to {@code access}, or null if none fits. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Map<?, ?> of(Map<?, ?> map, MapGuard.Access access) {
    Map copy;
    if (map.getClass() == HashMap.class) copy = new Hash<>(map);
    else if (map.getClass() == LinkedHashMap.class) copy = new Linked<>(map);
    else if (map.getClass() == TreeMap.class) copy = new Tree<>((TreeMap) map);
    else return null;
    ((Guarded) copy).attach(access);
    return copy;
  }

  interface Guarded {
    void attach(MapGuard.Access access);
  }

  static <T> T read(MapGuard.Access a, String op, Supplier<T> body) {
    return a == null ? body.get() : a.call(false, op, body);
  }

  static <T> T write(MapGuard.Access a, String op, Supplier<T> body) {
    return a == null ? body.get() : a.call(true, op, body);
  }

  static void read(MapGuard.Access a, String op, Runnable body) {
    read(a, op, () -> {
      body.run();
      return null;
    });
  }

  static void write(MapGuard.Access a, String op, Runnable body) {
    write(a, op, () -> {
      body.run();
      return null;
    });
  }

  static final class Hash<K, V> extends HashMap<K, V> implements Guarded {
    private MapGuard.Access a;

    Hash(Map<K, V> m) {
      super(m);
    }

    @Override public void attach(MapGuard.Access access) { a = access; }
    @Override public int size() { return read(a, "size()", super::size); }
    @Override public boolean isEmpty() { return read(a, "isEmpty()", super::isEmpty); }
    @Override public V get(Object k) { return read(a, "get()", () -> super.get(k)); }
    @Override public V getOrDefault(Object k, V d) { return read(a, "getOrDefault()", () -> super.getOrDefault(k, d)); }
    @Override public boolean containsKey(Object k) { return read(a, "containsKey()", () -> super.containsKey(k)); }
    @Override public boolean containsValue(Object v) { return read(a, "containsValue()", () -> super.containsValue(v)); }
    @Override public Set<K> keySet() { return new View.OfSet<>(read(a, "keySet()", super::keySet), a); }
    @Override public Collection<V> values() { return new View<>(read(a, "values()", super::values), a); }
    @Override public Set<Map.Entry<K, V>> entrySet() { return new View.OfSet<>(read(a, "entrySet()", super::entrySet), a); }
    @Override public void forEach(BiConsumer<? super K, ? super V> f) { read(a, "forEach()", () -> super.forEach(f)); }
    @Override public V put(K k, V v) { return write(a, "put()", () -> super.put(k, v)); }
    @Override public void putAll(Map<? extends K, ? extends V> m) { write(a, "putAll()", () -> super.putAll(m)); }
    @Override public V remove(Object k) { return write(a, "remove()", () -> super.remove(k)); }
    @Override public boolean remove(Object k, Object v) { return write(a, "remove()", () -> super.remove(k, v)); }
    @Override public void clear() { write(a, "clear()", super::clear); }
    @Override public V putIfAbsent(K k, V v) { return write(a, "putIfAbsent()", () -> super.putIfAbsent(k, v)); }
    @Override public V replace(K k, V v) { return write(a, "replace()", () -> super.replace(k, v)); }
    @Override public boolean replace(K k, V o, V v) { return write(a, "replace()", () -> super.replace(k, o, v)); }
    @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) { write(a, "replaceAll()", () -> super.replaceAll(f)); }
    @Override public V computeIfAbsent(K k, Function<? super K, ? extends V> f) { return write(a, "computeIfAbsent()", () -> super.computeIfAbsent(k, f)); }
    @Override public V computeIfPresent(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "computeIfPresent()", () -> super.computeIfPresent(k, f)); }
    @Override public V compute(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "compute()", () -> super.compute(k, f)); }
    @Override public V merge(K k, V v, BiFunction<? super V, ? super V, ? extends V> f) { return write(a, "merge()", () -> super.merge(k, v, f)); }
  }

  static final class Linked<K, V> extends LinkedHashMap<K, V> implements Guarded {
    private MapGuard.Access a;

    Linked(Map<K, V> m) {
      super(m);
    }

    @Override public void attach(MapGuard.Access access) { a = access; }
    @Override public int size() { return read(a, "size()", super::size); }
    @Override public boolean isEmpty() { return read(a, "isEmpty()", super::isEmpty); }
    @Override public V get(Object k) { return read(a, "get()", () -> super.get(k)); }
    @Override public V getOrDefault(Object k, V d) { return read(a, "getOrDefault()", () -> super.getOrDefault(k, d)); }
    @Override public boolean containsKey(Object k) { return read(a, "containsKey()", () -> super.containsKey(k)); }
    @Override public boolean containsValue(Object v) { return read(a, "containsValue()", () -> super.containsValue(v)); }
    @Override public Set<K> keySet() { return new View.OfSet<>(read(a, "keySet()", super::keySet), a); }
    @Override public Collection<V> values() { return new View<>(read(a, "values()", super::values), a); }
    @Override public Set<Map.Entry<K, V>> entrySet() { return new View.OfSet<>(read(a, "entrySet()", super::entrySet), a); }
    @Override public void forEach(BiConsumer<? super K, ? super V> f) { read(a, "forEach()", () -> super.forEach(f)); }
    @Override public V put(K k, V v) { return write(a, "put()", () -> super.put(k, v)); }
    @Override public void putAll(Map<? extends K, ? extends V> m) { write(a, "putAll()", () -> super.putAll(m)); }
    @Override public V remove(Object k) { return write(a, "remove()", () -> super.remove(k)); }
    @Override public boolean remove(Object k, Object v) { return write(a, "remove()", () -> super.remove(k, v)); }
    @Override public void clear() { write(a, "clear()", super::clear); }
    @Override public V putIfAbsent(K k, V v) { return write(a, "putIfAbsent()", () -> super.putIfAbsent(k, v)); }
    @Override public V replace(K k, V v) { return write(a, "replace()", () -> super.replace(k, v)); }
    @Override public boolean replace(K k, V o, V v) { return write(a, "replace()", () -> super.replace(k, o, v)); }
    @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) { write(a, "replaceAll()", () -> super.replaceAll(f)); }
    @Override public V computeIfAbsent(K k, Function<? super K, ? extends V> f) { return write(a, "computeIfAbsent()", () -> super.computeIfAbsent(k, f)); }
    @Override public V computeIfPresent(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "computeIfPresent()", () -> super.computeIfPresent(k, f)); }
    @Override public V compute(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "compute()", () -> super.compute(k, f)); }
    @Override public V merge(K k, V v, BiFunction<? super V, ? super V, ? extends V> f) { return write(a, "merge()", () -> super.merge(k, v, f)); }
  }

  static final class Tree<K, V> extends TreeMap<K, V> implements Guarded {
    private MapGuard.Access a;

    Tree(TreeMap<K, V> m) {
      super(m.comparator());
      super.putAll(m);
    }

    @Override public void attach(MapGuard.Access access) { a = access; }
    @Override public int size() { return read(a, "size()", super::size); }
    @Override public V get(Object k) { return read(a, "get()", () -> super.get(k)); }
    @Override public V getOrDefault(Object k, V d) { return read(a, "getOrDefault()", () -> super.getOrDefault(k, d)); }
    @Override public boolean containsKey(Object k) { return read(a, "containsKey()", () -> super.containsKey(k)); }
    @Override public boolean containsValue(Object v) { return read(a, "containsValue()", () -> super.containsValue(v)); }
    @Override public K firstKey() { return read(a, "firstKey()", super::firstKey); }
    @Override public K lastKey() { return read(a, "lastKey()", super::lastKey); }
    @Override public Set<K> keySet() { return new View.OfSet<>(read(a, "keySet()", super::keySet), a); }
    @Override public Collection<V> values() { return new View<>(read(a, "values()", super::values), a); }
    @Override public Set<Map.Entry<K, V>> entrySet() { return new View.OfSet<>(read(a, "entrySet()", super::entrySet), a); }
    @Override public void forEach(BiConsumer<? super K, ? super V> f) { read(a, "forEach()", () -> super.forEach(f)); }
    @Override public V put(K k, V v) { return write(a, "put()", () -> super.put(k, v)); }
    @Override public void putAll(Map<? extends K, ? extends V> m) { write(a, "putAll()", () -> super.putAll(m)); }
    @Override public V remove(Object k) { return write(a, "remove()", () -> super.remove(k)); }
    @Override public boolean remove(Object k, Object v) { return write(a, "remove()", () -> super.remove(k, v)); }
    @Override public void clear() { write(a, "clear()", super::clear); }
    @Override public V putIfAbsent(K k, V v) { return write(a, "putIfAbsent()", () -> super.putIfAbsent(k, v)); }
    @Override public V replace(K k, V v) { return write(a, "replace()", () -> super.replace(k, v)); }
    @Override public boolean replace(K k, V o, V v) { return write(a, "replace()", () -> super.replace(k, o, v)); }
    @Override public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) { write(a, "replaceAll()", () -> super.replaceAll(f)); }
    @Override public V computeIfAbsent(K k, Function<? super K, ? extends V> f) { return write(a, "computeIfAbsent()", () -> super.computeIfAbsent(k, f)); }
    @Override public V computeIfPresent(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "computeIfPresent()", () -> super.computeIfPresent(k, f)); }
    @Override public V compute(K k, BiFunction<? super K, ? super V, ? extends V> f) { return write(a, "compute()", () -> super.compute(k, f)); }
    @Override public V merge(K k, V v, BiFunction<? super V, ? super V, ? extends V> f) { return write(a, "merge()", () -> super.merge(k, v, f)); }
    @Override public Map.Entry<K, V> pollFirstEntry() { return write(a, "pollFirstEntry()", super::pollFirstEntry); }
    @Override public Map.Entry<K, V> pollLastEntry() { return write(a, "pollLastEntry()", super::pollLastEntry); }
  }

  /** A map's view ({@code values()}; {@link OfSet} for {@code keySet()} and {@code entrySet()}), reporting. */
  static class View<E> implements Collection<E> {
    final Collection<E> c;
    final MapGuard.Access a;

    View(Collection<E> c, MapGuard.Access a) {
      this.c = c;
      this.a = a;
    }

    static final class OfSet<E> extends View<E> implements Set<E> {
      OfSet(Set<E> s, MapGuard.Access a) {
        super(s, a);
      }
    }

    @Override public int size() { return read(a, "size() on a view of it", c::size); }
    @Override public boolean isEmpty() { return read(a, "isEmpty() on a view of it", c::isEmpty); }
    @Override public boolean contains(Object o) { return read(a, "contains() on a view of it", () -> c.contains(o)); }
    @Override public Object[] toArray() { return read(a, "toArray() on a view of it", () -> c.toArray()); }
    @Override public <T> T[] toArray(T[] t) { return read(a, "toArray() on a view of it", () -> c.toArray(t)); }
    @Override public boolean containsAll(Collection<?> o) { return read(a, "containsAll() on a view of it", () -> c.containsAll(o)); }
    @Override public boolean add(E e) { return write(a, "add() on a view of it", () -> c.add(e)); }
    @Override public boolean remove(Object o) { return write(a, "remove() on a view of it", () -> c.remove(o)); }
    @Override public boolean addAll(Collection<? extends E> o) { return write(a, "addAll() on a view of it", () -> c.addAll(o)); }
    @Override public boolean removeAll(Collection<?> o) { return write(a, "removeAll() on a view of it", () -> c.removeAll(o)); }
    @Override public boolean retainAll(Collection<?> o) { return write(a, "retainAll() on a view of it", () -> c.retainAll(o)); }
    @Override public boolean removeIf(java.util.function.Predicate<? super E> p) { return write(a, "removeIf() on a view of it", () -> c.removeIf(p)); }
    @Override public void clear() { write(a, "clear() on a view of it", c::clear); }
    @Override public void forEach(java.util.function.Consumer<? super E> f) { read(a, "forEach() on a view of it", () -> c.forEach(f)); }
    @Override public boolean equals(Object o) { return read(a, "equals() on a view of it", () -> c.equals(o instanceof View<?> v ? v.c : o)); }
    @Override public int hashCode() { return read(a, "hashCode() on a view of it", c::hashCode); }
    @Override public String toString() { return read(a, "toString() on a view of it", c::toString); }

    @Override
    public Iterator<E> iterator() {
      Iterator<E> it = read(a, "an iterator over a view of it", c::iterator);
      return new Iterator<>() {
        @Override public boolean hasNext() { return read(a, "an iterator over a view of it", it::hasNext); }
        @Override public E next() { return read(a, "an iterator over a view of it", it::next); }
        @Override public void remove() { write(a, "remove() through an iterator", it::remove); }
      };
    }
  }
}
