package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.pubsub.ChannelRegistry;
import dev.sharedstate.kv.pubsub.Receiver;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.util.LoggingLevel;

/**
 * Model-checks a pub/sub {@link ChannelRegistry} with Lincheck, as {@link StoreCheck} does a store:
 * named scenarios of {@code subscribe}, {@code unsubscribe} and {@code publish} over two channels and
 * three receivers, every outcome compared with a map of channels to sets of receivers used one call at a
 * time. A publish's result is its count and the receivers it called before returning, so a count taken
 * at another moment than the delivery, or a subscription lost by a racing update of the map, shows.
 *
 * <pre>{@code
 * RegistryCheck.of("your registry", () -> factory.newInstance(ChannelRegistry.class))
 *     .scenario("publish while another thread unsubscribes", List.of("sub news r0", "sub news r1"),
 *         List.of(List.of("pub news"), List.of("unsub news r0", "sub news r2")), List.of("pub news"))
 *     .check();
 * }</pre>
 */
public final class RegistryCheck {
  static final List<String> CHANNELS = List.of("news", "sports");
  static final int RECEIVERS = 3;

  private static volatile RegistryCheck active;

  private final String what;
  private final Supplier<? extends ChannelRegistry> registries;
  private final List<Named> scenarios = new ArrayList<>();
  private int invocations = 20;
  private Class<?> learnerClass;
  private volatile Class<?> registryClass;

  private record Named(String name, List<String> before, List<List<String>> threads, List<String> after) {}

  private RegistryCheck(String what, Supplier<? extends ChannelRegistry> registries) {
    this.what = what;
    this.registries = registries;
  }

  /** Checks the registries {@code registries} makes (a fresh one for every explored interleaving). */
  public static RegistryCheck of(String what, Supplier<? extends ChannelRegistry> registries) {
    return new RegistryCheck(what, Objects.requireNonNull(registries, "registries"));
  }

  /**
   * A scenario: operations {@code "sub CHANNEL rN"}, {@code "unsub CHANNEL rN"}, {@code "pub CHANNEL"}
   * (channels {@code news} and {@code sports}, receivers {@code r0} to {@code r2}); {@code before} and
   * {@code after} run alone, the threads at once.
   */
  public RegistryCheck scenario(String name, List<String> before, List<List<String>> threads, List<String> after) {
    scenarios.add(new Named(name, before, threads, after));
    return this;
  }

  /** Interleavings explored per scenario, at most. */
  public RegistryCheck invocations(int n) {
    invocations = n;
    return this;
  }

  /** The learner's class: the failing interleaving is shown in its file. */
  public RegistryCheck learnerClass(Class<?> c) {
    learnerClass = c;
    return this;
  }

  /**
   * Runs the model checker over the scenarios, all in one Lincheck run (each run pays once for instrumenting
   * the classes it meets, most of its time), each with the budget; an {@link AssertionError} at the first
   * wrong outcome, naming its scenario.
   */
  public void check() {
    if (scenarios.isEmpty()) return;
    ModelCheckingOptions options = new ModelCheckingOptions()
        .iterations(0)
        .invocationsPerIteration(invocations)
        .threads(2)
        .actorsPerThread(2)
        .minimizeFailedScenario(false)
        .logLevel(LoggingLevel.OFF)
        .sequentialSpecification(Spec.class);
    options.loopBound(200);
    var lincheckScenarios = new ArrayList<ExecutionScenario>();
    for (Named s : scenarios) {
      var parallel = new ArrayList<List<Actor>>();
      for (List<String> t : s.threads()) parallel.add(actors(t));
      var e = new ExecutionScenario(actors(s.before()), parallel, actors(s.after()), null);
      lincheckScenarios.add(e);
      options.addCustomScenario(e);
    }
    synchronized (StoreCheck.class) { // one model check at a time in this JVM, whichever kind
      active = this;
      try {
        StoreCheck.Failure f = StoreCheck.lincheck(options, Ops.class, lincheckScenarios,
            scenarios.stream().map(Named::name).toList(), learnerClass, registryClass);
        if (f != null) {
          throw new AssertionError(Interleaving.explain(what, f.report(), f.scenario(), List.of(), learnerFiles(), pkg()), null);
        }
      } finally {
        active = null;
      }
    }
  }

  private String pkg() {
    Class<?> c = learnerClass != null ? learnerClass : registryClass;
    return c == null ? "" : c.getPackageName();
  }

  private Set<String> learnerFiles() {
    return StoreCheck.sourceFilesOf(registryClass, learnerClass);
  }

  private static List<Actor> actors(List<String> ops) {
    var out = new ArrayList<Actor>();
    for (String op : ops) {
      String[] p = op.trim().split("\\s+");
      int channel = CHANNELS.indexOf(p.length > 1 ? p[1] : "");
      if (channel < 0) throw new IllegalArgumentException("'" + op + "': the channel must be one of " + CHANNELS);
      try {
        out.add(switch (p[0]) {
          case "sub" -> new Actor(method("sub", int.class, int.class), List.of(channel, receiver(op, p[2])));
          case "unsub" -> new Actor(method("unsub", int.class, int.class), List.of(channel, receiver(op, p[2])));
          case "pub" -> new Actor(method("pub", int.class), List.of(channel));
          default -> throw new IllegalArgumentException("'" + op + "': sub, unsub or pub");
        });
      } catch (ArrayIndexOutOfBoundsException e) {
        throw new IllegalArgumentException("'" + op + "': sub CHANNEL rN", e);
      }
    }
    return out;
  }

  private static int receiver(String op, String name) {
    int r = name.matches("r\\d") ? name.charAt(1) - '0' : -1;
    if (r < 0 || r >= RECEIVERS) throw new IllegalArgumentException("'" + op + "': receivers are r0 to r" + (RECEIVERS - 1));
    return r;
  }

  private static Method method(String name, Class<?>... params) {
    try {
      return Ops.class.getMethod(name, params);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A receiver that writes down which messages it got. */
  static final class Recording implements Receiver {
    final String name;
    final List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();

    Recording(String name) {
      this.name = name;
    }

    @Override
    public void receive(String channel, byte[] message) {
      got.add(new String(message, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** What Lincheck runs: public, with a public no-argument constructor (one per explored interleaving). */
  public static final class Ops {
    private final ChannelRegistry registry;
    private final List<Recording> receivers = new ArrayList<>();
    private final AtomicInteger messages = new AtomicInteger();

    public Ops() {
      RegistryCheck config = Objects.requireNonNull(active, "RegistryCheck.check() is not running");
      registry = config.registries.get();
      config.registryClass = registry.getClass();
      for (int i = 0; i < RECEIVERS; i++) receivers.add(new Recording("r" + i));
    }

    public boolean sub(int channel, int receiver) {
      return registry.subscribe(CHANNELS.get(channel), receivers.get(receiver));
    }

    public boolean unsub(int channel, int receiver) {
      return registry.unsubscribe(CHANNELS.get(channel), receivers.get(receiver));
    }

    /** PUBLISH: the count it returned, then the receivers that had the message when it returned. */
    public String pub(int channel) {
      String id = "m" + messages.incrementAndGet();
      int count = registry.publish(CHANNELS.get(channel), id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var reached = new TreeSet<String>();
      for (Recording r : receivers) if (r.got.contains(id)) reached.add(r.name);
      return count + " " + reached;
    }
  }

  /** The sequential specification: channels to sets of receivers, one call at a time. */
  public static final class Spec {
    private final Map<Integer, Set<String>> channels = new HashMap<>();

    public Spec() {}

    public boolean sub(int channel, int receiver) {
      return channels.computeIfAbsent(channel, k -> new TreeSet<>()).add("r" + receiver);
    }

    public boolean unsub(int channel, int receiver) {
      Set<String> s = channels.get(channel);
      return s != null && s.remove("r" + receiver);
    }

    public String pub(int channel) {
      Set<String> s = channels.getOrDefault(channel, Set.of());
      return s.size() + " " + new TreeSet<>(s);
    }
  }
}
