package dev.sharedstate.lockcheck.blocking;

import java.util.List;
import java.util.Set;

/**
 * One catalogued blocking method: calls of {@code method} on a receiver whose type is {@code owner}
 * or a subtype of it block, when the argument count is one of {@code arities} (empty: any count).
 *
 * @param method a method name, or {@code "*"} for every method of the owner (a Redis client, a gRPC
 *     blocking stub, an RMI remote interface) except those named in {@code except} and
 *     {@code Object}'s own; a wildcard entry is handed out per called name by {@link Catalogue#blockingNamed}
 * @param releases what the wait releases while it waits (most calls release nothing)
 * @param why a few words for diagnostics: what the call waits for
 * @param except for a wildcard entry, the owner's methods that do not block
 * @param unlessArgument the call is a non-blocking overload when an argument's static type is one of
 *     these types (or a subtype), or is a lambda or method reference: the asynchronous overloads that
 *     take a callback ({@code zk.getData(path, watch, callback, ctx)})
 * @param notFor receivers of these types (or subtypes) do not block: the library's test doubles
 *     ({@code MockProducer} is a {@code Producer} whose {@code flush()} returns at once)
 * @param interfaceOnly the receiver's static type must be an interface: a call on a remote
 *     interface ({@code java.rmi.Remote}) is a network call, one on the local class implementing it is not
 * @param gate the packages (and type-name suffixes) one of which a file must name for the entry to be
 *     tried on its calls (see {@link LibraryGate}); {@link Gate#NONE} for the JDK's entries
 * @param byNameWhenUnresolved whether a receiver whose type cannot be resolved may match by the name
 *     it was written with ({@code ListenableFuture} for {@code Future}); false for the library units,
 *     whose types are known by qualified name (see {@link Catalogue#declaredTypes()})
 * @param unit the catalogue unit the entry comes from ({@code jdk/net}, {@code libraries/netty}, or a
 *     user file's name)
 * @param hostArgument the index of an argument naming a host, or -1: when that argument is an IP
 *     address literal (or {@code null}) the call looks nothing up ({@code InetAddress.getByName("10.0.0.1")}:
 *     "If a literal IP address is supplied, only the validity of the address format is checked")
 */
public record BlockingMethod(
    String owner,
    String method,
    List<Integer> arities,
    Releases releases,
    String why,
    Set<String> except,
    List<String> unlessArgument,
    List<String> notFor,
    boolean interfaceOnly,
    Gate gate,
    boolean byNameWhenUnresolved,
    String unit,
    int hostArgument) {

  /** Packages and simple-name suffixes that open a file to an entry (any one of them). */
  public record Gate(List<String> packages, List<String> suffixes) {
    public static final Gate NONE = new Gate(List.of(), List.of());

    public Gate {
      packages = List.copyOf(packages);
      suffixes = List.copyOf(suffixes);
    }
  }

  /** The method name that stands for every method of the owner. */
  public static final String ANY = "*";

  /** The method name of a constructor entry: {@code new Socket(host, port)} connects. */
  public static final String NEW = "new";

  /** {@code Object}'s methods: never matched by a wildcard entry (wait is catalogued on its own). */
  static final Set<String> OBJECT_METHODS = Set.of(
      "wait", "notify", "notifyAll", "equals", "hashCode", "toString", "getClass", "clone", "finalize");

  public BlockingMethod {
    arities = List.copyOf(arities);
    except = Set.copyOf(except);
    unlessArgument = List.copyOf(unlessArgument);
    notFor = List.copyOf(notFor);
  }

  /** An entry of the classic shape: no exceptions, no argument test, matched by name when unresolved. */
  public BlockingMethod(String owner, String method, List<Integer> arities, Releases releases, String why) {
    this(owner, method, arities, releases, why, Set.of(), List.of(), List.of(), false, Gate.NONE, true, "", -1);
  }

  /** True when a call with {@code argCount} arguments is one of the catalogued overloads. */
  public boolean acceptsArity(int argCount) {
    return arities.isEmpty() || arities.contains(argCount);
  }

  /** True for a constructor entry ({@code "method": "new"}). */
  public boolean isConstructor() {
    return method.equals(NEW);
  }

  /** True for an entry that stands for every method of its owner. */
  public boolean isWildcard() {
    return method.equals(ANY);
  }

  /** For a wildcard entry: whether it covers the method {@code name}. */
  boolean coversName(String name) {
    return !except.contains(name) && !OBJECT_METHODS.contains(name) && !name.equals(NEW);
  }

  /** This entry for one called method (a wildcard entry, as the method a call names). */
  BlockingMethod named(String name) {
    return new BlockingMethod(owner, name, arities, releases, why, Set.of(), unlessArgument, notFor, interfaceOnly,
        gate, byNameWhenUnresolved, unit, hostArgument);
  }

  /** This entry with another gate. */
  BlockingMethod withGate(Gate g) {
    return new BlockingMethod(owner, method, arities, releases, why, except, unlessArgument, notFor, interfaceOnly,
        g, byNameWhenUnresolved, unit, hostArgument);
  }

  /** This entry with other exceptions. */
  BlockingMethod withExcept(Set<String> names) {
    return new BlockingMethod(owner, method, arities, releases, why, names, unlessArgument, notFor, interfaceOnly,
        gate, byNameWhenUnresolved, unit, hostArgument);
  }

  /** {@code Thread.sleep}: the owner's simple name and the method, for messages. */
  public String displayName() {
    String simple = owner.substring(owner.lastIndexOf('.') + 1);
    return isConstructor() ? "new " + simple : simple + "." + method;
  }

  /** What a waiting call gives up while it waits. */
  public enum Releases {
    /** Nothing: every held lock stays held. */
    NOTHING,
    /** {@code Object.wait()}: the monitor of the receiver. */
    RECEIVER_MONITOR,
    /** {@code TimeUnit.timedWait(obj, t)}: the monitor of the first argument. */
    ARGUMENT_MONITOR,
    /**
     * {@code Condition.await()}: the lock whose {@code newCondition()} made the receiver, else the
     * explicit lock taken last (Guava's {@code Monitor.waitFor}, Jetty's {@code AutoLock.WithCondition.await}).
     */
    CONDITION_LOCK
  }
}
