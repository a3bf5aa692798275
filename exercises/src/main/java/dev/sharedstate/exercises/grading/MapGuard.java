package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.Store;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * A check, call by call, of "a plain map changed under a lock is read under it too" (the lockset idea of
 * Eraser). It swaps each {@code HashMap}, {@code LinkedHashMap} or {@code TreeMap} in the object's fields
 * for a copy of the same class that notes, on every call, which of the object's locks the calling thread
 * holds: its own monitor and its class's (for {@code synchronized} methods), the monitor of every field
 * value (for {@code synchronized (lock)}), and its {@code ReentrantLock}, {@code ReentrantReadWriteLock}
 * and {@code StampedLock} fields. The map's guard is the set of those locks held by every change made to
 * it in place; a read that holds none of them is reported, with where the learner's code made it.
 *
 * <p>No schedule has to be forced or won: holding a lock is a property of each call, so one thread
 * calling a read method after another changed the map is enough, on every run. A design that replaces its
 * map whole (copy-on-write) changes no map in place, and a {@code ConcurrentHashMap} is never swapped, so
 * neither is reported.
 *
 * <p>A change made with no lock at all, while the other changes share one, is reported too (a removal
 * forgotten outside the lock). Known limits (each a miss, none a false report): changes that hold no lock
 * in common (none at all, or different ones) give an empty guard, and nothing is reported (the model
 * checker is there for that); a {@code StampedLock} or the
 * read half of a read-write lock kept alone in a field counts as held while it is locked at all, right
 * only when the test makes one call at a time, as {@code readsHoldTheWritersLock} does; the two halves of
 * a read-write lock kept in two fields count as one lock. An object that also keeps a view of its map
 * ({@code Collections.unmodifiableMap(map)}) is left alone: the swap would split the two apart. A
 * {@code final} field is changed through reflection, which JDK 25 allows for an ordinary class; where a
 * JDK refuses it (JEP 500, final meaning final), that field is left alone and its map not watched.
 */
public final class MapGuard {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final int MAX_LOCKS = 64;

  private final List<Access> maps;
  private final String skipped;

  private MapGuard(List<Access> maps, String skipped) {
    this.maps = maps;
    this.skipped = skipped;
  }

  /** A lock the calling thread may hold: its description and how to ask. */
  private record Candidate(String name, Object lock) {
    boolean held(boolean forWrite) {
      return switch (lock) {
        case ReentrantLock l -> l.isHeldByCurrentThread();
        case ReentrantReadWriteLock rw -> rw.isWriteLockedByCurrentThread() || (!forWrite && rw.getReadHoldCount() > 0);
        case ReentrantReadWriteLock.WriteLock w -> w.isHeldByCurrentThread();
        case ReentrantReadWriteLock.ReadLock r -> !forWrite && !r.toString().endsWith("[Read locks = 0]");
        case StampedLock s -> s.isWriteLocked() || (!forWrite && s.isReadLocked());
        default -> Thread.holdsLock(lock);
      };
    }
  }

  /** One call: a change or a read, the locks held (a bit per candidate), and where the learner made it. */
  private record Call(boolean write, String op, long held, StackTraceElement[] stack) {}

  /** What one swapped map saw; its calls come through {@link GuardedMaps}. */
  static final class Access {
    final String field;
    final String mapClass;
    final List<Candidate> candidates;
    final List<Call> calls = new ArrayList<>();

    Access(String field, String mapClass, List<Candidate> candidates) {
      this.field = field;
      this.mapClass = mapClass;
      this.candidates = candidates;
    }

    /** Runs {@code body}, noting the call if it comes from outside the map (not from the map's own code). */
    <T> T call(boolean write, String op, Supplier<T> body) {
      int[] depth = DEPTH.get();
      if (depth[0]++ == 0) {
        long held = 0;
        for (int i = 0; i < candidates.size() && i < MAX_LOCKS; i++) {
          if (candidates.get(i).held(write)) held |= 1L << i;
        }
        var call = new Call(write, op, held, new Throwable().getStackTrace());
        synchronized (calls) {
          calls.add(call);
        }
      }
      try {
        return body.get();
      } finally {
        depth[0]--;
      }
    }
  }

  /**
   * Swaps the plain maps in {@code owner}'s instance fields for reporting copies (final fields too).
   * Call it before the object is shared: right after construction, before any other thread has it.
   */
  public static MapGuard install(Object owner) {
    Map<Field, Object> values = FieldValues.of(owner, true);
    for (var e : values.entrySet()) {
      if (e.getValue().getClass().getName().startsWith("java.util.Collections$")) {
        return new MapGuard(List.of(), "field '" + e.getKey().getName() + "' holds a view of another collection");
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    List<Access> maps = new ArrayList<>();
    Map<Object, Object> swapped = new IdentityHashMap<>();
    for (var e : values.entrySet()) {
      Field f = e.getKey();
      if (Modifier.isStatic(f.getModifiers()) || !(e.getValue() instanceof Map<?, ?> map)) continue;
      Object copy = swapped.get(map);
      if (copy == null) {
        var access = new Access(f.getName(), map.getClass().getSimpleName(), candidates);
        copy = GuardedMaps.of(map, access);
        if (copy == null) continue;
        swapped.put(map, copy);
        maps.add(access);
      }
      try {
        f.set(owner, copy);
        e.setValue(copy);
      } catch (ReflectiveOperationException | RuntimeException ex) {
        maps.removeIf(a -> a.field.equals(f.getName()));
      }
    }
    candidates.add(new Candidate("the " + owner.getClass().getSimpleName() + "'s own monitor, which its synchronized methods take", owner));
    candidates.add(new Candidate("the monitor of " + owner.getClass().getSimpleName() + ".class, which its static synchronized methods take", owner.getClass()));
    var rwHalves = new Object();
    for (var e : values.entrySet()) {
      String name = "field '" + e.getKey().getName() + "'";
      Object v = e.getValue();
      candidates.add(new Candidate("the monitor of " + name, v));
      switch (v) {
        case ReentrantLock l -> candidates.add(new Candidate("the ReentrantLock in " + name, l));
        case ReentrantReadWriteLock rw -> candidates.add(new Candidate("the ReentrantReadWriteLock in " + name, rw));
        case ReentrantReadWriteLock.WriteLock w -> candidates.add(new Candidate("the write lock in " + name, w));
        case ReentrantReadWriteLock.ReadLock r -> candidates.add(new Candidate("the read lock in " + name, r));
        case StampedLock s -> candidates.add(new Candidate("the StampedLock in " + name, s));
        default -> {}
      }
    }
    return new MapGuard(List.copyOf(maps), maps.isEmpty() ? "no field holds a HashMap, LinkedHashMap or TreeMap" : null);
  }

  /**
   * Drives a {@link Store} one call at a time under a fresh guard: an update of {@code key} (a write), then a
   * {@code get} of it, then an update that removes it, each from its own thread. Returns the first read made
   * without the lock its writes held. Catches a read that skips the lock only when no writer is there (an
   * optimistic {@code StampedLock} read, a {@code tryLock} fallback), which a probe that holds the lock
   * cannot see: with the lock held, such a read falls back to waiting.
   */
  public static Optional<String> unguardedStoreRead(Store store, String key) throws InterruptedException {
    return unguardedUse(store, List.of(
        () -> store.update(key, e -> Entry.of("1".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        () -> store.get(key),
        () -> store.update(key + "-other", e -> Entry.of("2".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        () -> store.get(key),
        () -> store.update(key, e -> null)));
  }

  /**
   * Installs a guard on {@code owner}, makes {@code calls} one at a time, each from its own thread, and returns
   * the first read (or unlocked change) the guard reports.
   */
  public static Optional<String> unguardedUse(Object owner, List<Runnable> calls) throws InterruptedException {
    MapGuard guard = install(owner);
    int i = 0;
    for (Runnable call : calls) {
      var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread t = Thread.ofPlatform().daemon().name("grading-call-" + i++).start(() -> {
        try {
          call.run();
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.join(5_000);
      if (t.isAlive()) throw new AssertionError("a single call to the store, with no other call running, did not return within 5 s");
      if (failure.get() != null) throw new AssertionError("a single call to the store threw", failure.get());
    }
    return guard.unguardedRead();
  }

  /** The swapped maps, as "field 'name' (HashMap)", or why there are none. */
  public String watched() {
    if (skipped != null) return "nothing (" + skipped + ")";
    return String.join(", ", maps.stream().map(a -> "field '" + a.field + "' (" + a.mapClass + ")").toList());
  }

  /**
   * The first read, per map, made without any lock that every change in place held, explained for the
   * learner; or, when some changes hold no lock at all while the others share one, the first such change.
   * Empty if there is none (or no change in place, or no lock common to the locked changes).
   */
  public Optional<String> unguardedRead() {
    for (Access m : maps) {
      List<Call> calls;
      synchronized (m.calls) {
        calls = List.copyOf(m.calls);
      }
      long guard = -1;
      Set<String> writers = new LinkedHashSet<>();
      for (Call c : calls) {
        if (!c.write()) continue;
        guard &= c.held();
        writers.add(learnerMethod(c.stack()) + "()");
      }
      if (writers.isEmpty()) continue;
      if (guard == 0) {
        Optional<String> unlocked = unguardedWrite(m, calls);
        if (unlocked.isPresent()) return unlocked;
        continue;
      }
      Call first = null;
      Set<String> readers = new LinkedHashSet<>();
      for (Call c : calls) {
        if (c.write() || (c.held() & guard) != 0) continue;
        if (first == null) first = c;
        readers.add(learnerMethod(c.stack()) + "()");
      }
      if (first == null) continue;
      List<String> locks = new ArrayList<>();
      for (int i = 0; i < m.candidates.size() && i < MAX_LOCKS; i++) {
        if ((guard & (1L << i)) != 0) locks.add(m.candidates.get(i).name());
      }
      String reader = learnerMethod(first.stack()) + "()";
      readers.remove(reader);
      var out = new StringBuilder();
      out.append(reader).append(" read the ").append(m.mapClass).append(" in field '").append(m.field).append("' (")
          .append(first.op()).append(") without the lock that ").append(String.join(" and ", writers))
          .append(" change it under: ").append(String.join("; or ", locks)).append(". A thread that reads a ")
          .append(m.mapClass).append(" while another changes it can see it half-changed (its table being resized, an"
              + " entry linked in but not yet counted) or miss the change altogether. Take the same lock in ")
          .append(reader).append(", or have the writers replace an immutable map whole (copy-on-write) and read that.");
      if (!readers.isEmpty()) out.append(" The same goes for ").append(String.join(" and ", readers)).append('.');
      out.append('\n');
      for (StackTraceElement f : first.stack()) {
        if (Stacks.learnerFrame(f + " ")) out.append("      at ").append(f).append('\n');
      }
      return Optional.of(out.toString().stripTrailing());
    }
    return Optional.empty();
  }

  /**
   * A change in place made without any lock while the other changes all hold one in common: the locked ones
   * are the map's guard, and the unlocked change races with them. Empty when no lock is common to the locked
   * changes, or every change holds it.
   */
  private static Optional<String> unguardedWrite(Access m, List<Call> calls) {
    long guard = -1;
    boolean anyLocked = false;
    Set<String> writers = new LinkedHashSet<>();
    for (Call c : calls) {
      if (!c.write() || c.held() == 0) continue;
      anyLocked = true;
      guard &= c.held();
      writers.add(learnerMethod(c.stack()) + "()");
    }
    if (!anyLocked || guard == 0) return Optional.empty();
    for (Call c : calls) {
      if (!c.write() || c.held() != 0) continue;
      List<String> locks = new ArrayList<>();
      for (int i = 0; i < m.candidates.size() && i < MAX_LOCKS; i++) {
        if ((guard & (1L << i)) != 0) locks.add(m.candidates.get(i).name());
      }
      var out = new StringBuilder();
      out.append(learnerMethod(c.stack())).append("() changed the ").append(m.mapClass).append(" in field '").append(m.field)
          .append("' (").append(c.op()).append(") without any lock, while ").append(String.join(" and ", writers))
          .append(" change it under ").append(String.join("; or ", locks)).append(". Two changes of a ")
          .append(m.mapClass).append(" at once can corrupt it (a resize, a bin relinked) or lose one of them: make every"
              + " change, removals included, under the same lock.\n");
      for (StackTraceElement f : c.stack()) {
        if (Stacks.learnerFrame(f + " ")) out.append("      at ").append(f).append('\n');
      }
      return Optional.of(out.toString().stripTrailing());
    }
    return Optional.empty();
  }

  private static boolean ofThisCheck(String className) {
    for (Class<?> c : List.of(MapGuard.class, GuardedMaps.class)) {
      if (className.equals(c.getName()) || className.startsWith(c.getName() + "$")) return true;
    }
    return false;
  }

  /**
   * The learner's method that made a call: the first exercise frame (else the first frame outside the JDK
   * and this check), a lambda named after its method.
   */
  private static String learnerMethod(StackTraceElement[] stack) {
    StackTraceElement found = null;
    for (StackTraceElement f : stack) {
      if (Stacks.learnerFrame(f + " ")) {
        found = f;
        break;
      }
      String c = f.getClassName();
      if (found == null && !c.startsWith("java.") && !c.startsWith("jdk.") && !ofThisCheck(c)) {
        found = f;
      }
    }
    if (found == null) return "(unknown)";
    String m = found.getMethodName();
    return m.startsWith("lambda$") ? m.substring(7, Math.max(7, m.indexOf('$', 7))) : m;
  }
}
