package dev.sharedstate.exercises.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/**
 * MapGuard on small registries of its own: which reads it reports, which designs it leaves alone. The
 * classes are nested here, not in an exercise package, so the report lists no learner frames; what is
 * checked is the verdict and the method it names.
 */
class MapGuardTest {
  /** The shape every case shares: one map of names to sets, changed by add and remove, read by names. */
  interface Registry {
    void add(String k, String v);

    void remove(String k);

    List<String> names();
  }

  static final class UnlockedRead implements Registry {
    private final Map<String, Set<String>> map = new HashMap<>();

    @Override public synchronized void add(String k, String v) { map.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v); }
    @Override public synchronized void remove(String k) { map.remove(k); }
    @Override public List<String> names() { return List.copyOf(map.keySet()); }
  }

  static final class Locked implements Registry {
    private final Map<String, Set<String>> map = new TreeMap<>();

    @Override public synchronized void add(String k, String v) { map.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v); }
    @Override public synchronized void remove(String k) { map.remove(k); }
    @Override public synchronized List<String> names() { return List.copyOf(map.keySet()); }
  }

  static final class ReadWrite implements Registry {
    private final Map<String, Set<String>> map = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override public void add(String k, String v) {
      lock.writeLock().lock();
      try {
        map.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v);
      } finally {
        lock.writeLock().unlock();
      }
    }

    @Override public void remove(String k) {
      lock.writeLock().lock();
      try {
        map.remove(k);
      } finally {
        lock.writeLock().unlock();
      }
    }

    @Override public List<String> names() {
      lock.readLock().lock();
      try {
        return List.copyOf(map.keySet());
      } finally {
        lock.readLock().unlock();
      }
    }
  }

  /** Replaced whole, never changed in the field: a read needs no lock. */
  static final class CopyOnWrite implements Registry {
    private volatile Map<String, Set<String>> map = new HashMap<>();

    @Override public synchronized void add(String k, String v) {
      var next = new HashMap<>(map);
      next.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v);
      map = next;
    }

    @Override public synchronized void remove(String k) {
      var next = new HashMap<>(map);
      next.remove(k);
      map = next;
    }

    @Override public List<String> names() { return List.copyOf(map.keySet()); }
  }

  static final class Concurrent implements Registry {
    private final Map<String, Set<String>> map = new ConcurrentHashMap<>();

    @Override public void add(String k, String v) { map.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(v); }
    @Override public void remove(String k) { map.remove(k); }
    @Override public List<String> names() { return List.copyOf(map.keySet()); }
  }

  /** Reads under the lock, but removes through the key set's iterator with no lock: a change the others' lock misses. */
  static final class UnlockedRemove implements Registry {
    private final Map<String, Set<String>> map = new HashMap<>();

    @Override public synchronized void add(String k, String v) { map.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v); }
    @Override public void remove(String k) { map.keySet().removeIf(k::equals); }
    @Override public synchronized List<String> names() { return List.copyOf(map.keySet()); }
  }

  /** Adds under the monitor, removes under another lock: the writers share none, so no guard can be named. */
  static final class NoCommonLock implements Registry {
    private final Map<String, Set<String>> map = new HashMap<>();
    private final Object removing = new Object();

    @Override public synchronized void add(String k, String v) { map.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v); }
    @Override public void remove(String k) { synchronized (removing) { map.keySet().removeIf(k::equals); } }
    @Override public synchronized List<String> names() { return List.copyOf(map.keySet()); }
  }

  private static Optional<String> drive(Registry r, MapGuard guard) throws InterruptedException {
    Thread t = Thread.ofPlatform().start(() -> {
      r.add("a", "1");
      r.add("b", "2");
    });
    t.join();
    assertEquals(List.of("a", "b"), r.names().stream().sorted().toList(), "the swapped map keeps working");
    r.remove("a");
    assertEquals(List.of("b"), r.names(), "the swapped map keeps working");
    return guard.unguardedRead();
  }

  @Test
  void aReadWithoutTheWritersLockIsReportedWithItsMethod() throws InterruptedException {
    var r = new UnlockedRead();
    MapGuard guard = MapGuard.install(r);
    assertEquals("field 'map' (HashMap)", guard.watched(), "a final HashMap field is swapped");
    String report = drive(r, guard).orElseThrow(() -> new AssertionError("names() read with no lock was not reported"));
    assertTrue(report.startsWith("names() read the HashMap in field 'map' (keySet())"), report);
    assertTrue(report.contains("the UnlockedRead's own monitor"), report);
  }

  @Test
  void readsUnderTheWritersLockAreNotReported() throws InterruptedException {
    for (Registry r : List.of(new Locked(), new ReadWrite())) {
      MapGuard guard = MapGuard.install(r);
      assertTrue(guard.watched().startsWith("field 'map'"), guard.watched());
      assertEquals(Optional.empty(), drive(r, guard), r.getClass().getSimpleName());
    }
  }

  @Test
  void aMapReplacedWholeOrConcurrentIsNotJudged() throws InterruptedException {
    var cow = new CopyOnWrite();
    assertEquals(Optional.empty(), drive(cow, MapGuard.install(cow)), "copy-on-write");
    var chm = new Concurrent();
    MapGuard guard = MapGuard.install(chm);
    assertTrue(guard.watched().startsWith("nothing"), guard.watched());
    assertEquals(Optional.empty(), drive(chm, guard), "ConcurrentHashMap");
  }

  @Test
  void aChangeWithNoLockWhileTheOthersShareOneIsReported() throws InterruptedException {
    var r = new UnlockedRemove();
    String report = drive(r, MapGuard.install(r)).orElseThrow(() -> new AssertionError("remove() with no lock was not reported"));
    assertTrue(report.startsWith("remove() changed the HashMap in field 'map'"), report);
    assertTrue(report.contains("the UnlockedRemove's own monitor"), report);
  }

  @Test
  void changesWithNoCommonLockGiveNoGuardAndNoReport() throws InterruptedException {
    var r = new NoCommonLock();
    assertEquals(Optional.empty(), drive(r, MapGuard.install(r)), "no lock common to all changes: nothing to require");
  }
}
