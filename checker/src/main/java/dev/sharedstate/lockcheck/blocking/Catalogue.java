package dev.sharedstate.lockcheck.blocking;

import dev.sharedstate.lockcheck.types.DeclaredTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data lockcheck knows about calls: which methods block, which methods run a function passed to
 * them at once (so a lambda's body runs under the caller's locks), which library methods take and
 * release locks, and what the libraries' types are when their jars are not on the class path. The
 * built-in catalogue is a set of units, one JSON file per JDK family ({@code jdk/net.json}) and per
 * library ({@code libraries/netty.json}), listed in {@code index.json}: adding a unit is one file and
 * one line there. User files of the same format extend it ({@code --catalogue FILE}); adding a
 * blocking method is one line of JSON, never code. The format: {@code checker/docs/catalogue.md}.
 */
public final class Catalogue {

  private static final String INDEX = "index.json";

  /** For user catalogue files; built on first use (an ObjectMapper costs about 60 ms of a cold start). */
  private static final class Mapper {
    static final ObjectMapper JSON =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
  }

  /** Lock-operation names the engine knows without a catalogue (see analysis.LockOps): no extra token. */
  private static final Set<String> ENGINE_LOCK_NAMES = Set.of(
      "lock", "lockInterruptibly", "tryLock", "unlock", "readLock", "writeLock", "readLockInterruptibly",
      "writeLockInterruptibly", "tryReadLock", "tryWriteLock", "unlockRead", "unlockWrite", "tryUnlockRead",
      "tryUnlockWrite");

  /** What the catalogue files say, indexed for the questions the analysis asks. */
  private static final class Data {
    private final List<BlockingMethod> blocking;
    private final Map<String, List<BlockingMethod>> blockingByName;
    private final List<BlockingMethod> wildcards;
    private final ConcurrentHashMap<String, List<BlockingMethod>> withWildcards = new ConcurrentHashMap<>();
    private final List<ImmediateCaller> immediateCallers;
    private final Set<String> immediateByName;
    private final List<LockMethod> lockMethods;
    private final Set<String> lockMethodNames;
    private final boolean hasLockWrappers;
    private final List<DeclaredTypes.Declared> declared;
    private final DeclaredTypes declaredTypes;
    private final List<String> units;

    Data(Parsed p) {
      this.units = List.copyOf(p.units);
      this.lockMethods = List.copyOf(p.locks);
      Set<String> names = new HashSet<>();
      boolean wrappers = false;
      for (LockMethod m : lockMethods) {
        if (!ENGINE_LOCK_NAMES.contains(m.method())) {
          names.add(m.method());
        }
        wrappers |= m.kind() == LockMethod.Kind.WRAPPER;
      }
      this.lockMethodNames = Set.copyOf(names);
      this.hasLockWrappers = wrappers;
      this.blocking = List.copyOf(p.blocking);
      Map<String, List<BlockingMethod>> byName = new HashMap<>();
      List<BlockingMethod> any = new ArrayList<>();
      for (BlockingMethod m : blocking) {
        if (m.isWildcard()) {
          any.add(m);
        } else {
          byName.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
        }
      }
      byName.replaceAll((k, v) -> List.copyOf(v));
      this.blockingByName = Map.copyOf(byName);
      // A wildcard matches every method called on a receiver of its owner's type or a subtype, so the
      // exceptions of one wildcard of a unit hold for all of them: Jedis excepts isConnected(), and a
      // Jedis is also a JedisCommands, whose wildcard must not take isConnected() for a command.
      Map<String, Set<String>> exceptByUnit = new HashMap<>();
      for (BlockingMethod w : any) {
        exceptByUnit.computeIfAbsent(w.unit(), k -> new HashSet<>()).addAll(w.except());
      }
      this.wildcards = any.stream().map(w -> w.withExcept(exceptByUnit.get(w.unit()))).toList();
      this.immediateCallers = List.copyOf(p.callers);
      this.immediateByName = Set.copyOf(p.byName);
      this.declared = List.copyOf(p.types);
      this.declaredTypes = new DeclaredTypes(declared);
    }
  }

  /**
   * The catalogue's data, or its loading: the built-in catalogue is read on a background thread while
   * the CLI reads and parses the sources (about thirty JSON units, tens of milliseconds of a cold
   * start on the 2-processor machines lockcheck is measured on), and the first question waits for it.
   */
  private final CompletableFuture<Parsed> pending;
  private volatile Data data;

  private Catalogue(Parsed p) {
    this.pending = CompletableFuture.completedFuture(p);
  }

  private Catalogue(CompletableFuture<Parsed> pending) {
    this.pending = pending;
  }

  private Data d() {
    Data x = data;
    if (x == null) {
      synchronized (this) {
        x = data;
        if (x == null) {
          try {
            x = new Data(pending.join());
          } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
              throw r;
            }
            if (e.getCause() instanceof Error err) {
              throw err;
            }
            throw e;
          }
          data = x;
        }
      }
    }
    return x;
  }

  /** The built-in catalogue only. */
  public static Catalogue builtIn() {
    return Holder.BUILT_IN_CATALOGUE;
  }

  private static final class Holder {
    static final Catalogue BUILT_IN_CATALOGUE = new Catalogue(loadInBackground());
  }

  private static CompletableFuture<Parsed> loadInBackground() {
    CompletableFuture<Parsed> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(loadBuiltIn());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "lockcheck-catalogue");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static Parsed loadBuiltIn() {
    Parsed all = new Parsed();
    try (Resources r = Resources.open()) {
      JsonNode index = r.read(INDEX);
      for (JsonNode u : index.path("units")) {
        String file = u.asText();
        String unit = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        all.add(parse(r.read(file), unit, true));
      }
    }
    return all;
  }

  /**
   * The built-in units: read from lockcheck's jar opened once (thirty class-loader resource look-ups
   * cost tens of milliseconds of a cold start), or through the class loader when lockcheck runs from
   * its classes directory.
   */
  private static final class Resources implements AutoCloseable {
    private static final String BASE = "dev/sharedstate/lockcheck/blocking/";
    private final java.util.zip.ZipFile jar;

    private Resources(java.util.zip.ZipFile jar) {
      this.jar = jar;
    }

    static Resources open() {
      try {
        var source = Catalogue.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation().getPath().endsWith(".jar")) {
          Path p = Path.of(source.getLocation().toURI());
          return new Resources(new java.util.zip.ZipFile(p.toFile()));
        }
      } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
        // fall back to the class loader
      }
      return new Resources(null);
    }

    JsonNode read(String name) {
      try {
        var entry = jar == null ? null : jar.getEntry(BASE + name);
        try (InputStream in = entry != null ? jar.getInputStream(entry) : Catalogue.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalStateException("lockcheck is missing its catalogue resource " + name);
          }
          return readTree(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(name + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        if (jar != null) {
          jar.close();
        }
      } catch (IOException e) {
        // read-only: nothing to lose
      }
    }
  }

  /** The units the built-in catalogue was read from, in order ({@code jdk/net}, {@code libraries/netty}). */
  public List<String> units() {
    return d().units;
  }

  /**
   * The built-in file as a tree, read with Jackson's streaming parser: every run needs it, and this
   * spares a run that needs no other JSON the ObjectMapper's start-up. Same syntax as user files
   * (comments and trailing commas allowed).
   */
  static JsonNode readTree(InputStream in) throws IOException {
    JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
        .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() == null) {
        throw new IOException("empty JSON");
      }
      JsonNode root = node(p, JsonNodeFactory.instance);
      if (p.nextToken() != null) {
        throw new IOException("trailing content after the JSON value at " + p.currentLocation());
      }
      return root;
    }
  }

  private static JsonNode node(JsonParser p, JsonNodeFactory f) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, node(p, f));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(node(p, f));
        }
        yield a;
      }
      case VALUE_STRING -> f.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> f.numberNode(p.getIntValue());
        case LONG -> f.numberNode(p.getLongValue());
        default -> f.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      default -> throw new IOException("unexpected " + p.currentToken() + " at " + p.currentLocation());
    };
  }

  /**
   * This catalogue extended with the entries of user files and the immediate callers given on the
   * command line.
   *
   * @throws CatalogueException naming the file and what is wrong in it
   */
  public Catalogue extendedWith(List<Path> files, Collection<ImmediateCaller> extraCallers) {
    // the user's files are read and checked now (their errors are the command line's), and merged
    // with the built-in units when those have been read
    Parsed more = new Parsed();
    for (Path file : files) {
      JsonNode root;
      try {
        root = Mapper.JSON.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new CatalogueException(file + ": cannot read catalogue: " + e.getMessage());
      }
      more.add(parse(root, file.toString(), false));
    }
    more.callers.addAll(extraCallers);
    for (ImmediateCaller ic : extraCallers) {
      if (ic.owner() == null) {
        more.byName.add(ic.method());
      }
    }
    return plus(more);
  }

  /**
   * This catalogue extended with a catalogue-shaped tree (the {@code blocking} and
   * {@code immediateCallers} of a {@code lockcheck.yaml}); {@code source} names it in errors.
   */
  public Catalogue extendedWith(JsonNode extension, String source) {
    return plus(parse(extension, source, false));
  }

  /** This catalogue with more project-declared lock methods (lock/unlock pairs, try-with-resources wrappers). */
  public Catalogue withLockMethods(List<LockMethod> more) {
    Parsed p = new Parsed();
    p.locks.addAll(more);
    return plus(p);
  }

  private Catalogue plus(Parsed more) {
    return new Catalogue(pending.thenApply(base -> {
      Parsed p = new Parsed();
      p.add(base);
      p.add(more);
      return p;
    }));
  }

  /** The lock methods: the library units' and the project's (lock/unlock pairs, wrappers, try-locks). */
  public List<LockMethod> lockMethods() {
    return d().lockMethods;
  }

  /**
   * The method names of the lock methods that the engine does not know by itself: calls that may
   * start a lock region (the pre-filter's extra tokens; {@code lock()} and {@code unlock()} are always
   * tokens).
   */
  public Set<String> lockMethodNames() {
    return d().lockMethodNames;
  }

  /** True when some lock method is a wrapper (so {@code close()} on its handle releases a lock). */
  public boolean hasLockWrappers() {
    return d().hasLockWrappers;
  }

  /** What the library units say about their libraries' types (the type universe's last resort). */
  public DeclaredTypes declaredTypes() {
    return DeclaredTypes.deferred(() -> d().declared);
  }

  /** Everything read from the catalogue files, in order. */
  private static final class Parsed {
    final List<String> units = new ArrayList<>();
    final List<BlockingMethod> blocking = new ArrayList<>();
    final List<ImmediateCaller> callers = new ArrayList<>();
    final Set<String> byName = new HashSet<>();
    final List<LockMethod> locks = new ArrayList<>();
    final List<DeclaredTypes.Declared> types = new ArrayList<>();

    void add(Parsed o) {
      units.addAll(o.units);
      blocking.addAll(o.blocking);
      callers.addAll(o.callers);
      byName.addAll(o.byName);
      locks.addAll(o.locks);
      types.addAll(o.types);
    }
  }

  private static final Set<String> TOP_KEYS = Set.of(
      "//", "about", "library", "artifacts", "javadoc", "blocking", "immediateCallers", "immediateByName",
      "locks", "types");
  private static final Set<String> BLOCKING_KEYS = Set.of(
      "//", "owner", "method", "arity", "releases", "why", "except", "unlessArgument", "notFor", "jdk", "receiver", "hostArgument");
  private static final Set<String> LOCK_KEYS = Set.of("//", "owner", "method", "kind", "arity");
  private static final Set<String> TYPE_KEYS = Set.of("//", "name", "interface", "supertypes", "returns", "jdk");
  private static final Set<String> CALLER_KEYS = Set.of("//", "owner", "method");

  /**
   * One catalogue file. {@code builtIn}: a unit of lockcheck's own catalogue, named {@code unit}. A
   * unit with a {@code "library"} key describes a library: its owners are declared types (known by
   * qualified name without the jar), and its entries never match an unresolved receiver by its
   * simple name alone.
   */
  private static Parsed parse(JsonNode root, String source, boolean builtIn) {
    if (root == null || !root.isObject()) {
      throw new CatalogueException(source + ": a catalogue is a JSON object with \"blocking\" and/or \"immediateCallers\" arrays");
    }
    checkKeys(root, TOP_KEYS, new Where(source, null, 0));
    String unit = builtIn ? source : source.substring(source.lastIndexOf('/') + 1);
    boolean library = root.has("library");
    Parsed out = new Parsed();
    out.units.add(unit);
    Set<String> owners = new java.util.LinkedHashSet<>();
    int i = 0;
    for (JsonNode e : root.path("blocking")) {
      Where where = new Where(source, "blocking", i++);
      checkKeys(e, BLOCKING_KEYS, where);
      String owner = text(e, "owner", where);
      String method = text(e, "method", where);
      List<Integer> arities = arities(e, where);
      BlockingMethod.Releases releases = BlockingMethod.Releases.NOTHING;
      if (e.hasNonNull("releases")) {
        String r = e.get("releases").asText();
        releases = switch (r) {
          case "nothing" -> BlockingMethod.Releases.NOTHING;
          case "receiver-monitor" -> BlockingMethod.Releases.RECEIVER_MONITOR;
          case "argument-monitor" -> BlockingMethod.Releases.ARGUMENT_MONITOR;
          case "condition-lock" -> BlockingMethod.Releases.CONDITION_LOCK;
          default -> throw new CatalogueException(where + ": unknown \"releases\": " + r
              + " (one of nothing, receiver-monitor, argument-monitor, condition-lock)");
        };
      }
      Set<String> except = new HashSet<>(strings(e, "except", where));
      if (!except.isEmpty() && !method.equals(BlockingMethod.ANY)) {
        throw new CatalogueException(where + ": \"except\" only goes with \"method\": \"*\"");
      }
      List<String> unless = strings(e, "unlessArgument", where);
      String receiver = e.path("receiver").asText("any");
      if (!receiver.equals("any") && !receiver.equals("interface")) {
        throw new CatalogueException(where + ": \"receiver\" is \"interface\" or \"any\" (the default)");
      }
      JsonNode whyNode = e.get("why");
      String why = whyNode != null && whyNode.isTextual() ? whyNode.asText()
          : "listed as blocking in " + source.substring(source.lastIndexOf('/') + 1);
      BlockingMethod.Gate own = method.equals(BlockingMethod.ANY)
          ? new BlockingMethod.Gate(List.of(packageOf(owner)), List.of()) : BlockingMethod.Gate.NONE;
      out.blocking.add(new BlockingMethod(owner, method, arities, releases, why, except, unless,
          strings(e, "notFor", where), receiver.equals("interface"), own, !library, unit,
          e.path("hostArgument").asInt(-1)));
      owners.add(owner);
    }
    i = 0;
    for (JsonNode e : root.path("immediateCallers")) {
      Where where = new Where(source, "immediateCallers", i++);
      checkKeys(e, CALLER_KEYS, where);
      String owner = e.hasNonNull("owner") ? e.get("owner").asText() : null;
      out.callers.add(new ImmediateCaller(owner, text(e, "method", where)));
    }
    for (JsonNode x : root.path("immediateByName")) {
      out.byName.add(x.asText());
    }
    i = 0;
    for (JsonNode e : root.path("locks")) {
      Where where = new Where(source, "locks", i++);
      checkKeys(e, LOCK_KEYS, where);
      String owner = text(e, "owner", where);
      String kind = text(e, "kind", where);
      LockMethod.Kind k = switch (kind) {
        case "lock" -> LockMethod.Kind.LOCK;
        case "unlock" -> LockMethod.Kind.UNLOCK;
        case "wrapper" -> LockMethod.Kind.WRAPPER;
        case "try-lock" -> LockMethod.Kind.TRY_LOCK;
        default -> throw new CatalogueException(where + ": unknown \"kind\": " + kind
            + " (one of lock, unlock, wrapper, try-lock)");
      };
      out.locks.add(new LockMethod(owner, text(e, "method", where), k, arities(e, where), !library));
      owners.add(owner);
    }
    i = 0;
    for (JsonNode e : root.path("types")) {
      Where where = new Where(source, "types", i++);
      checkKeys(e, TYPE_KEYS, where);
      String name = text(e, "name", where);
      if (name.startsWith("*") && (name.length() < 2 || name.indexOf('.') >= 0)) {
        throw new CatalogueException(where + ": a type pattern is *SimpleNameSuffix, e.g. *BlockingStub");
      }
      Map<String, String> returns = new HashMap<>();
      JsonNode r = e.get("returns");
      if (r != null) {
        if (!r.isObject()) {
          throw new CatalogueException(where + ": \"returns\" maps method names to qualified type names");
        }
        for (var f : r.properties()) {
          returns.put(f.getKey(), f.getValue().asText());
        }
      }
      out.types.add(new DeclaredTypes.Declared(name, e.path("interface").asBoolean(false),
          strings(e, "supertypes", where), returns));
    }
    if (library) {
      for (String o : owners) {
        out.types.add(new DeclaredTypes.Declared(o, false, List.of(), Map.of()));
      }
      // a library's entries are tried only in files that name one of its packages or patterns
      Set<String> packages = new java.util.TreeSet<>();
      Set<String> suffixes = new java.util.TreeSet<>();
      for (String o : owners) {
        packages.add(packageOf(o));
      }
      for (DeclaredTypes.Declared d : out.types) {
        if (d.name().startsWith("*")) {
          suffixes.add(d.name().substring(1));
        } else if (!d.name().startsWith("java.")) {
          packages.add(packageOf(d.name()));
        }
      }
      BlockingMethod.Gate gate = new BlockingMethod.Gate(List.copyOf(packages), List.copyOf(suffixes));
      out.blocking.replaceAll(b -> b.withGate(gate));
    }
    return out;
  }

  /** Where an entry is, for error messages: rendered only when there is an error to report. */
  private record Where(String source, String section, int index) {
    @Override
    public String toString() {
      return section == null ? source : source + ": " + section + "[" + index + "]";
    }
  }

  /** The package part of a qualified type name: the segments before the first capitalised one. */
  static String packageOf(String qualified) {
    int start = 0;
    while (true) {
      int dot = qualified.indexOf('.', start);
      if (dot < 0 || Character.isUpperCase(qualified.charAt(start))) {
        return start == 0 ? qualified : qualified.substring(0, start - 1);
      }
      start = dot + 1;
    }
  }

  private static void checkKeys(JsonNode e, Set<String> allowed, Where where) {
    if (!e.isObject()) {
      throw new CatalogueException(where + ": must be a JSON object");
    }
    for (var it = e.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new CatalogueException(where + ": unknown key \"" + k + "\" (known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private static List<Integer> arities(JsonNode e, Where where) {
    List<Integer> arities = new ArrayList<>();
    JsonNode a = e.get("arity");
    if (a != null) {
      if (a.isInt()) {
        arities.add(a.asInt());
      } else if (a.isArray()) {
        for (JsonNode x : a) {
          if (!x.isInt()) {
            throw new CatalogueException(where + ": \"arity\" must be a number or an array of numbers");
          }
          arities.add(x.asInt());
        }
      } else {
        throw new CatalogueException(where + ": \"arity\" must be a number or an array of numbers");
      }
    }
    return arities;
  }

  private static List<String> strings(JsonNode e, String field, Where where) {
    JsonNode v = e.get(field);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      for (JsonNode x : v) {
        if (!x.isTextual()) {
          throw new CatalogueException(where + ": \"" + field + "\" must be a string or an array of strings");
        }
        out.add(x.asText());
      }
    } else {
      throw new CatalogueException(where + ": \"" + field + "\" must be a string or an array of strings");
    }
    return out;
  }

  private static String text(JsonNode e, String field, Where where) {
    JsonNode v = e.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new CatalogueException(where + ": needs a \"" + field + "\" string");
    }
    return v.asText();
  }

  /**
   * Every blocking entry a call named {@code name} could be (the cheap pre-match): the entries of that
   * name, and the wildcard entries that cover it, each as an entry of that name.
   */
  public List<BlockingMethod> blockingNamed(String name) {
    Data x = d();
    List<BlockingMethod> named = x.blockingByName.getOrDefault(name, List.of());
    if (x.wildcards.isEmpty()) {
      return named;
    }
    List<BlockingMethod> hit = x.withWildcards.get(name);
    if (hit == null) {
      List<BlockingMethod> all = new ArrayList<>(named);
      for (BlockingMethod w : x.wildcards) {
        if (w.coversName(name)) {
          all.add(w.named(name));
        }
      }
      hit = List.copyOf(all);
      x.withWildcards.putIfAbsent(name, hit);
    }
    return hit;
  }

  /** All blocking entries. */
  public List<BlockingMethod> blocking() {
    return d().blocking;
  }

  /** All immediate callers. */
  public List<ImmediateCaller> immediateCallers() {
    return d().immediateCallers;
  }

  /** Method names treated as immediate callers even when the receiver's type is unknown. */
  public boolean immediateByName(String name) {
    return d().immediateByName.contains(name);
  }

  /** A user catalogue that cannot be used; the message names the file and the entry. */
  public static final class CatalogueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogueException(String message) {
      super(message);
    }
  }
}
