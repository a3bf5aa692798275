package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.MultiKeyStore;
import dev.sharedstate.kv.Store;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jetbrains.lincheck.util.LoggingLevel;

/**
 * Model-checks a {@link Store} with Lincheck: small concurrent scenarios of {@code GET}, {@code SET},
 * {@code INCR} and {@code DEL} run through the store's own code while Lincheck's model checker chooses
 * where each thread is paused and resumed, exploring the interleavings one by one (not waiting for the
 * scheduler to stumble on a bad one). Every outcome is compared with the sequential specification: what
 * the same operations give when run one at a time, in some order. A result no order can give is a race.
 *
 * <p>The specification is a map of keys to numbers. With a {@linkplain #backend backend}, it is the
 * read-through cache of exercises 5 and 7: a {@code GET} of a key that is not in memory and that no client
 * has written returns (and keeps) the backend's value; writes act on memory only, and once a client has
 * written a key (a {@code DEL} included) the backend is never consulted for it again.
 *
 * <p>Typical use in an exercise's test:
 *
 * <pre>{@code
 * StoreCheck.of("your store", () -> factory.newInstance(Store.class))
 *     .scenario(Scenario.named("two INCR of one key").thread("incr a").thread("incr a").after("get a"))
 *     .randomScenarios(10)
 *     .check();
 * }</pre>
 *
 * <p>A failure is an {@link AssertionError} whose message names the scenario, what each thread's
 * operations returned, and the interleaving that produced it, trimmed to the learner's own code
 * ({@link Interleaving}).
 */
public final class StoreCheck {
  /** Keys a check may name; generated scenarios use the first four. */
  static final int KEY_SLOTS = 16;

  /** What one exploration run works on: a fresh store, and optionally a check of what it did. */
  public interface Subject {
    Store store();

    /**
     * Called once every operation of a run has returned, with each update's key and result (text, or
     * null for a removal) in no particular order. Returns what is wrong, or null.
     */
    default String check(List<Update> updates) {
      return null;
    }

    /** Ends the run: closes the store (an owner thread, say). */
    default void close() {
      store().close();
    }
  }

  /** An update that returned: its key and what it returned (null: the key was removed). */
  public record Update(String key, String result) {}

  /** A named concurrent scenario: operations before, one list per thread, operations after. */
  public static final class Scenario {
    final String name;
    final List<String> before = new ArrayList<>();
    final List<List<String>> threads = new ArrayList<>();
    final List<String> after = new ArrayList<>();
    int invocations;

    private Scenario(String name) {
      this.name = name;
    }

    /** A scenario; its name is what the learner reads when it fails. */
    public static Scenario named(String name) {
      return new Scenario(name);
    }

    /**
     * Operations run first, alone: {@code "set a 1"}, {@code "incr a"}, {@code "get a"}, {@code "del a"}; for a
     * {@link MultiKeyStore}, also {@code "mset a b 1"} (both keys to 1) and {@code "mget a b"}.
     */
    public Scenario before(String... ops) {
      before.addAll(List.of(ops));
      return this;
    }

    /** One more thread, running {@code ops} in order, concurrently with the other threads. */
    public Scenario thread(String... ops) {
      threads.add(List.of(ops));
      return this;
    }

    /** Operations run last, alone, once every thread finished. */
    public Scenario after(String... ops) {
      after.addAll(List.of(ops));
      return this;
    }

    /**
     * Interleavings to explore for this scenario, instead of the check's {@link StoreCheck#invocations}: for
     * a race that needs two thread switches among many steps (each step inside a {@code ConcurrentHashMap}
     * counts).
     */
    public Scenario invocations(int n) {
      invocations = n;
      return this;
    }
  }

  static {
    // Lincheck logs warnings about records' final fields to standard output; a learner needs none of them.
    if (System.getProperty("lincheck.logLevel") == null) System.setProperty("lincheck.logLevel", "OFF");
  }

  /** The configuration of the check being run: Lincheck creates {@link Ops} and {@link Spec} reflectively. */
  private static volatile StoreCheck active;

  private final String what;
  private final Supplier<? extends Subject> subjects;
  private final List<String> keys = new ArrayList<>(defaultKeys());
  private final Map<String, String> backend = new LinkedHashMap<>();
  private final List<Scenario> scenarios = new ArrayList<>();
  private boolean recordUpdates;
  private int randomScenarios;
  private int invocations = 200;
  private Class<?> learnerClass;
  private volatile String storePackage = "";
  private volatile Class<?> storeClass;

  private StoreCheck(String what, Supplier<? extends Subject> subjects) {
    this.what = what;
    this.subjects = subjects;
  }

  /** {@code a}, {@code b}, {@code k01}..{@code k13}: what the built-in scenarios use. */
  static List<String> defaultKeys() {
    var names = new ArrayList<>(List.of("a", "b"));
    for (int i = 1; i <= 13; i++) names.add(String.format("k%02d", i));
    return names;
  }

  /** Checks the stores {@code stores} makes (a fresh one for every explored interleaving). */
  public static StoreCheck of(String what, Supplier<? extends Store> stores) {
    Objects.requireNonNull(stores, "stores");
    return new StoreCheck(what, () -> {
      Store s = stores.get();
      return () -> s;
    });
  }

  /** Checks the subjects {@code subjects} makes: a store plus a check of what it did (a change log, say). */
  public static StoreCheck ofSubjects(String what, Supplier<? extends Subject> subjects) {
    return new StoreCheck(what, Objects.requireNonNull(subjects, "subjects")).recordUpdates();
  }

  private StoreCheck recordUpdates() {
    recordUpdates = true;
    return this;
  }

  /**
   * The keys the operations use, at most {@value #KEY_SLOTS} (default {@code a}, {@code b}, {@code k01} to
   * {@code k13}). Scenarios name them; generated scenarios draw from the first four.
   */
  public StoreCheck keys(String... names) {
    if (names.length == 0 || names.length > KEY_SLOTS) {
      throw new IllegalArgumentException("1 to " + KEY_SLOTS + " keys, not " + names.length);
    }
    keys.clear();
    keys.addAll(List.of(names));
    return this;
  }

  /** What the backend holds: makes the specification a read-through cache (exercises 5 and 7). */
  public StoreCheck backend(Map<String, String> values) {
    backend.clear();
    backend.putAll(values);
    return this;
  }

  public StoreCheck scenario(Scenario s) {
    if (s.threads.size() < 2) throw new IllegalArgumentException(s.name + ": a scenario needs 2 threads or more");
    scenarios.add(s);
    return this;
  }

  /** Also explore {@code n} scenarios Lincheck generates (2 threads of 2 operations, with 2 before and 1 after). */
  public StoreCheck randomScenarios(int n) {
    randomScenarios = n;
    return this;
  }

  /** Scenario: two INCR of one key at once, then a GET (the lost update). */
  public StoreCheck twoIncrs() {
    return scenario(Scenario.named("two INCR of one key").thread("incr a").thread("incr a").after("get a"));
  }

  /** Scenario: SET and DEL of one key while another thread reads and increments it. */
  public StoreCheck writesWhileReading() {
    return scenario(Scenario.named("SET and DEL of one key while another client reads it").before("set a 1")
        .thread("set a 2", "del a").thread("get a", "incr a").after("get a"));
  }

  /**
   * Scenario: a GET while another thread's SET makes the map grow. A {@code HashMap} moves its entries to
   * a bigger table at its 13th key; a read without the lock meanwhile finds an existing key missing.
   */
  public StoreCheck growingMap() {
    var grow = Scenario.named("GET of a key while another thread's SET makes the map grow");
    for (int i = 1; i <= 12; i++) grow.before(String.format("set k%02d %d", i, i % 3 + 1));
    return scenario(grow.thread("set k13 1").thread("get k01").after("get k13"));
  }

  /** {@link #twoIncrs}, {@link #writesWhileReading} and {@link #growingMap}. */
  public StoreCheck standardScenarios() {
    return twoIncrs().writesWhileReading().growingMap();
  }

  /** Interleavings explored per scenario, at most. */
  public StoreCheck invocations(int n) {
    invocations = n;
    return this;
  }

  /**
   * The learner's class (the exercise's starter, or its reference): the failing interleaving is trimmed
   * to its source file and the store's, and exceptions to frames of its package. Default: the store's.
   */
  public StoreCheck learnerClass(Class<?> c) {
    learnerClass = c;
    return this;
  }

  Subject newSubject() {
    Subject s = subjects.get();
    storePackage = s.store().getClass().getPackageName();
    storeClass = s.store().getClass();
    return s;
  }

  String key(int slot) {
    return keys.get(slot % keys.size());
  }

  /**
   * Runs the model checker over each scenario in turn, then over the generated ones; throws an {@link
   * AssertionError} a learner can act on at the first race found.
   */
  public void check() {
    // One model-checker run per interleaving budget, with every scenario of that budget: each run pays once
    // for instrumenting the classes it meets (most of a run's time), not once per scenario.
    var byBudget = new LinkedHashMap<Integer, List<Scenario>>();
    byBudget.put(invocations, new ArrayList<>());
    for (Scenario s : scenarios) {
      byBudget.computeIfAbsent(s.invocations > 0 ? s.invocations : invocations, b -> new ArrayList<>()).add(s);
    }
    for (var group : byBudget.entrySet()) {
      int generated = group.getKey() == invocations ? randomScenarios : 0;
      if (group.getValue().isEmpty() && generated == 0) continue;
      var names = new ArrayList<String>();
      group.getValue().forEach(s -> names.add(s.name));
      if (generated > 0) names.add(generated + " generated scenarios");
      timed(String.join(", ", names), () -> run(group.getValue(), generated, group.getKey()));
    }
  }

  private static void timed(String what, Runnable r) {
    long t0 = System.nanoTime();
    try {
      r.run();
    } finally {
      if (Boolean.getBoolean("storecheck.timing")) {
        System.err.printf("storecheck: %5d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
      }
    }
  }

  private void run(List<Scenario> custom, int iterations, int budget) {
    ModelCheckingOptions options = new ModelCheckingOptions()
        .iterations(iterations)
        .invocationsPerIteration(budget)
        .threads(2)
        .actorsPerThread(2)
        .actorsBefore(2)
        .actorsAfter(1)
        .minimizeFailedScenario(false)
        .logLevel(LoggingLevel.OFF)
        .sequentialSpecification(Spec.class);
    // ConcurrentHashMap's resize walks its bins in loops long enough for Lincheck's default bound to
    // call them a livelock; a loop that really spins still hits this one.
    options.loopBound(200);
    var lincheckScenarios = new ArrayList<ExecutionScenario>();
    for (Scenario s : custom) {
      ExecutionScenario e = toLincheck(s);
      lincheckScenarios.add(e);
      options.addCustomScenario(e);
    }
    synchronized (StoreCheck.class) {
      active = this;
      try {
        Failure f = lincheck(options, Ops.class, lincheckScenarios, custom.stream().map(c -> c.name).toList(),
            learnerClass, storeClass);
        if (f != null) {
          releaseStuckThreads();
          throw new AssertionError(Interleaving.explain(what, f.report(), f.scenario(), keys, learnerFiles(), pkg()), null);
        }
      } finally {
        active = null;
      }
    }
  }

  /** Where a model check went wrong: the custom scenario's name (null: a generated one) and Lincheck's report. */
  record Failure(String scenario, String report) {}

  /**
   * One Lincheck run of {@code ops}, as every model check of the grading runs it (the caller holds
   * {@code StoreCheck.class}, so one at a time in this JVM): the exercises' earlier instrumented classes
   * forgotten, and the learner's classes loadable by name. {@code mine} are the custom scenarios added to
   * {@code options}, named by {@code names} in the same order. Null when every interleaving tried was right.
   */
  static Failure lincheck(ModelCheckingOptions options, Class<?> ops, List<ExecutionScenario> mine, List<String> names,
      Class<?> learnerClass, Class<?> subjectClass) {
    forgetExerciseClasses();
    // Lincheck loads the classes of what it runs by name through the context class loader: under
    // ./learn the exercise's classes come from a loader of their own.
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    if (learnerClass != null) self.setContextClassLoader(learnerClass.getClassLoader());
    for (Class<?> c : new Class<?>[] {learnerClass, subjectClass}) {
      if (c != null) nameClassesOf(c.getClassLoader());
    }
    try {
      options.check(ops);
      return null;
    } catch (LincheckAssertionError e) {
      ExecutionScenario failed = e.getFailure$lincheck().getScenario();
      for (int i = 0; i < mine.size(); i++) {
        ExecutionScenario m = mine.get(i);
        if (m.getInitExecution().equals(failed.getInitExecution())
            && m.getParallelExecution().equals(failed.getParallelExecution())
            && m.getPostExecution().equals(failed.getPostExecution())) {
          return new Failure(names.get(i), e.getMessage());
        }
      }
      return new Failure(null, e.getMessage());
    } finally {
      self.setContextClassLoader(before);
    }
  }

  /** The source files whose steps the learner is shown: each given class's own top-level class's. */
  static Set<String> sourceFilesOf(Class<?>... classes) {
    var files = new HashSet<String>();
    for (Class<?> c : classes) {
      if (c == null) continue;
      Class<?> top = c;
      while (top.getEnclosingClass() != null) top = top.getEnclosingClass();
      files.add(top.getSimpleName() + ".java");
    }
    return files;
  }

  /**
   * Makes Lincheck forget the classes of the exercises it has instrumented. Its agent keeps each
   * instrumented class's bytes by class <em>name</em>, and hands them out again for a class of the same
   * name, even one a new class loader defines with other bytes: grading a second version of a learner's
   * class in one JVM ({@code ./learn watch}, the proof sets) would otherwise run the first version. Call it
   * before loading a new version. Best effort: a Lincheck without that cache needs nothing.
   */
  public static void forgetExerciseClasses() {
    try {
      Class<?> t = Class.forName("org.jetbrains.lincheck.jvm.agent.LincheckClassFileTransformer");
      var f = t.getDeclaredField("transformedClassesCachesByMode");
      f.setAccessible(true);
      Object byMode = f.get(null);
      if (!(byMode instanceof Map<?, ?> modes)) return;
      for (Object cache : modes.values()) {
        if (cache instanceof Map<?, ?> m) {
          m.keySet().removeIf(k -> {
            String name = String.valueOf(k).replace('/', '.');
            return name.startsWith("dev.sharedstate.exercises.ex");
          });
        }
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not loaded yet (nothing cached), or a Lincheck that keeps no such cache
    }
    Map<String, Class<?>> names = lincheckClassCache();
    if (names != null) names.keySet().removeIf(n -> n.startsWith("dev.sharedstate.exercises.ex"));
  }

  /**
   * Lincheck also looks some classes up <em>by name</em> from its own class loader (the class a lambda
   * was written in, the class of an object the checked code creates), through a cache of its own ({@code
   * ClassCache}) that keeps the first class found for a name. Where the exercise's classes come from a
   * loader of their own ({@code ./learn} grades the learner's current files so, and the proof sets each
   * solution), that lookup finds nothing ({@code ClassNotFoundException} under {@code ./learn}) or the
   * starter's class of the same name (under Maven). So the classes that loader defines from its folders
   * are put in that cache under their names before each check; {@link #forgetExerciseClasses} removes them.
   * Under plain {@code mvn test} the exercise's classes are on the class path and nothing is needed.
   */
  static void nameClassesOf(ClassLoader loader) {
    if (!(loader instanceof java.net.URLClassLoader urls)) return;
    Map<String, Class<?>> cache = lincheckClassCache();
    if (cache == null) return;
    for (java.net.URL url : urls.getURLs()) {
      if (!"file".equals(url.getProtocol())) continue;
      java.nio.file.Path dir;
      try {
        dir = java.nio.file.Path.of(url.toURI());
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        continue;
      }
      if (!java.nio.file.Files.isDirectory(dir)) continue;
      try (var walk = java.nio.file.Files.walk(dir)) {
        for (var f : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
          String rel = dir.relativize(f).toString().replace(java.io.File.separatorChar, '.');
          String name = rel.substring(0, rel.length() - ".class".length());
          if (name.endsWith("module-info") || name.endsWith("package-info")) continue;
          try {
            cache.put(name, Class.forName(name, false, loader));
          } catch (ClassNotFoundException | LinkageError e) {
            // a class that does not load cannot be one the check runs either
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** Lincheck's by-name class cache, or null for a Lincheck without it. */
  @SuppressWarnings("unchecked")
  private static Map<String, Class<?>> lincheckClassCache() {
    try {
      var f = Class.forName("org.jetbrains.lincheck.util.ClassCache").getDeclaredField("cache");
      f.setAccessible(true);
      return f.get(null) instanceof Map<?, ?> m ? (Map<String, Class<?>>) m : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * After a failure, Lincheck leaves the threads of a stuck execution where they are (parked by its
   * scheduler, perhaps holding a monitor of the store). Interrupting them lets those that can run to
   * their end, so they do not hold anything a later check needs.
   */
  private static void releaseStuckThreads() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("Lincheck-") && t.isAlive() && t != Thread.currentThread()) t.interrupt();
    }
  }

  private String pkg() {
    return learnerClass != null ? learnerClass.getPackageName() : storePackage;
  }

  /** The source files whose steps the learner is shown: the store's own (top-level) class. */
  private Set<String> learnerFiles() {
    return sourceFilesOf(storeClass, learnerClass);
  }

  private ExecutionScenario toLincheck(Scenario s) {
    var parallel = new ArrayList<List<Actor>>();
    for (List<String> t : s.threads) parallel.add(actors(t));
    return new ExecutionScenario(actors(s.before), parallel, actors(s.after), null);
  }

  private List<Actor> actors(List<String> ops) {
    var out = new ArrayList<Actor>();
    for (String op : ops) out.add(actor(op));
    return out;
  }

  private Actor actor(String op) {
    String[] p = op.trim().split("\\s+");
    int slot = keys.indexOf(p.length > 1 ? p[1] : "");
    if (slot < 0) throw new IllegalArgumentException("'" + op + "': the key must be one of " + keys);
    try {
      return switch (p[0]) {
        case "get" -> new Actor(method("get", int.class), List.of(slot));
        case "incr" -> new Actor(method("incr", int.class), List.of(slot));
        case "del" -> new Actor(method("del", int.class), List.of(slot));
        case "set" -> new Actor(method("set", int.class, int.class), List.of(slot, Integer.parseInt(p[2])));
        case "mset" -> new Actor(method("mset", int.class, int.class, int.class), List.of(slot, slot(op, p[2]), Integer.parseInt(p[3])));
        case "mget" -> new Actor(method("mget", int.class, int.class), List.of(slot, slot(op, p[2])));
        default -> throw new IllegalArgumentException("'" + op + "': get, set, incr, del, mset or mget");
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + op + "': set KEY NUMBER", e);
    }
  }

  private int slot(String op, String key) {
    int slot = keys.indexOf(key);
    if (slot < 0) throw new IllegalArgumentException("'" + op + "': the keys must be among " + keys);
    return slot;
  }

  private static Method method(String name, Class<?>... params) {
    try {
      return Ops.class.getMethod(name, params);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(Entry e) {
    return e == null ? null : new String(e.value(), StandardCharsets.UTF_8);
  }

  static Entry number(long n) {
    return Entry.of(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
  }

  static long parse(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }

  /**
   * The operations Lincheck runs: each is what a server command does to the store. Public with a public
   * no-argument constructor because Lincheck creates one per explored interleaving.
   */
  @Param(name = "key", gen = IntGen.class, conf = "0:3")
  @Param(name = "value", gen = IntGen.class, conf = "1:3")
  public static final class Ops {
    // Not the StoreCheck itself: see Spec.
    private final List<String> keys = List.copyOf(Objects.requireNonNull(active, "StoreCheck.check() is not running").keys);
    private final ConcurrentLinkedQueue<Update> updates = active.recordUpdates ? new ConcurrentLinkedQueue<>() : null;
    // Created here, before Lincheck starts exploring: Lincheck treats objects created during an
    // exploration as local to their thread until it sees them published, and does not interleave their
    // accesses (a racy store created there passes). So a store that starts a thread of its own (an owner
    // thread) cannot be checked: Lincheck does not schedule a thread started outside the exploration.
    private final Subject subject = active.newSubject();

    public Ops() {}

    private String key(int slot) {
      return keys.get(slot % keys.size());
    }

    private Store store() {
      return subject.store();
    }

    private String updated(String key, Entry result) {
      String t = text(result);
      if (updates != null) updates.add(new Update(key, t));
      return t;
    }

    /** GET key. */
    @Operation
    public String get(@Param(name = "key") int key) {
      return text(store().get(key(key)));
    }

    /** SET key value. */
    @Operation
    public String set(@Param(name = "key") int key, @Param(name = "value") int value) {
      String k = key(key);
      return updated(k, store().update(k, old -> number(value)));
    }

    /** INCR key. */
    @Operation
    public String incr(@Param(name = "key") int key) {
      String k = key(key);
      return updated(k, store().update(k, old -> number(parse(text(old)) + 1)));
    }

    /** DEL key. */
    @Operation
    public String del(@Param(name = "key") int key) {
      String k = key(key);
      return updated(k, store().update(k, old -> null));
    }

    /**
     * MSET key value key2 value: both keys at once, through {@link MultiKeyStore#updateAll}. Not an
     * {@code @Operation}: generated scenarios never use it (most stores have no {@code updateAll}); named
     * scenarios do.
     */
    public String mset(int key, int key2, int value) {
      List<String> ks = List.of(key(key), key(key2));
      List<Entry> out = multi().updateAll(ks, old -> List.of(number(value), number(value)));
      for (int i = 0; i < ks.size(); i++) updated(ks.get(i), out.get(i));
      return "OK";
    }

    /** MGET key key2, through {@link MultiKeyStore#getAll}: the two values, comma-separated (named scenarios only). */
    public String mget(int key, int key2) {
      List<Entry> got = multi().getAll(List.of(key(key), key(key2)));
      return text(got.get(0)) + "," + text(got.get(1));
    }

    private MultiKeyStore multi() {
      if (store() instanceof MultiKeyStore m) return m;
      throw new IllegalStateException(store().getClass().getSimpleName() + " does not implement MultiKeyStore");
    }

    /** After each explored interleaving: the subject's own check, then close the store. */
    @Validate
    public void validate() {
      Subject s = subject;
      try {
        String problem = updates == null ? null : s.check(List.copyOf(updates));
        if (problem != null) throw new AssertionError(problem);
      } finally {
        s.close();
      }
    }

    /** How an operation string shows in Lincheck's tables: {@code incr(0)} for {@code incr a}. */
    static String display(String op, StoreCheck c) {
      String[] p = op.trim().split("\\s+");
      int slot = c.keys.indexOf(p[1]);
      return p[0] + "(" + slot + (p.length > 2 ? ", " + p[2] : "") + ")";
    }
  }

  /** The sequential specification: the same operations on a plain map, one at a time. */
  public static final class Spec {
    // Copies, not the StoreCheck: Lincheck walks this object's graph and loads the class of everything it
    // reaches by name, and the check's store supplier is a lambda of the test class, which under ./learn
    // lives in a class loader Lincheck does not search.
    private final List<String> keys = List.copyOf(Objects.requireNonNull(active, "StoreCheck.check() is not running").keys);
    private final Map<String, String> backend = Map.copyOf(active.backend);
    private final Map<String, String> memory = new HashMap<>();
    private final Set<String> written = new HashSet<>();

    public Spec() {}

    private String key(int slot) {
      return keys.get(slot % keys.size());
    }

    public String get(int key) {
      String k = key(key);
      if (memory.containsKey(k)) return memory.get(k);
      if (written.contains(k)) return null;
      String v = backend.get(k);
      if (v != null) memory.put(k, v);
      return v;
    }

    public String set(int key, int value) {
      return write(key(key), Long.toString(value));
    }

    public String incr(int key) {
      String k = key(key);
      return write(k, Long.toString(parse(memory.get(k)) + 1));
    }

    public String del(int key) {
      return write(key(key), null);
    }

    public String mset(int key, int key2, int value) {
      set(key, value);
      set(key2, value);
      return "OK";
    }

    public String mget(int key, int key2) {
      return get(key) + "," + get(key2);
    }

    private String write(String k, String v) {
      written.add(k);
      if (v == null) memory.remove(k);
      else memory.put(k, v);
      return v;
    }
  }
}
