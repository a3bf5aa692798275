package dev.sharedstate.lockcheck.blocking;

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

/**
 * The data lockcheck knows about calls: which methods block, and which methods run a function passed
 * to them at once (so a lambda's body runs under the caller's locks). Loaded from the built-in
 * {@code catalogue.json} and extended by user files of the same format; adding a blocking method is
 * one line of JSON, never code.
 */
public final class Catalogue {

  private static final String BUILT_IN = "catalogue.json";

  /** For user catalogue files; built on first use (an ObjectMapper costs about 60 ms of a cold start). */
  private static final class Mapper {
    static final ObjectMapper JSON =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
  }

  private final List<BlockingMethod> blocking;
  private final Map<String, List<BlockingMethod>> blockingByName;
  private final List<ImmediateCaller> immediateCallers;
  private final Set<String> immediateByName;
  private final List<LockMethod> lockMethods;
  private final Set<String> lockMethodNames;
  private final boolean hasLockWrappers;

  private Catalogue(
      List<BlockingMethod> blocking,
      List<ImmediateCaller> immediateCallers,
      Set<String> immediateByName) {
    this(blocking, immediateCallers, immediateByName, List.of());
  }

  private Catalogue(
      List<BlockingMethod> blocking,
      List<ImmediateCaller> immediateCallers,
      Set<String> immediateByName,
      List<LockMethod> lockMethods) {
    this.lockMethods = List.copyOf(lockMethods);
    Set<String> names = new HashSet<>();
    boolean wrappers = false;
    for (LockMethod m : lockMethods) {
      names.add(m.method());
      wrappers |= m.kind() == LockMethod.Kind.WRAPPER;
    }
    this.lockMethodNames = Set.copyOf(names);
    this.hasLockWrappers = wrappers;
    this.blocking = List.copyOf(blocking);
    Map<String, List<BlockingMethod>> byName = new HashMap<>();
    for (BlockingMethod m : blocking) {
      byName.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
    }
    byName.replaceAll((k, v) -> List.copyOf(v));
    this.blockingByName = Map.copyOf(byName);
    this.immediateCallers = List.copyOf(immediateCallers);
    this.immediateByName = Set.copyOf(immediateByName);
  }

  /** The built-in catalogue only. */
  public static Catalogue builtIn() {
    return Holder.BUILT_IN_CATALOGUE;
  }

  private static final class Holder {
    static final Catalogue BUILT_IN_CATALOGUE = loadBuiltIn();
  }

  private static Catalogue loadBuiltIn() {
    try (InputStream in = Catalogue.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("lockcheck is missing its resource " + BUILT_IN);
      }
      Parsed p = parse(readTree(in), BUILT_IN);
      return new Catalogue(p.blocking, p.callers, p.byName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    List<BlockingMethod> b = new ArrayList<>(blocking);
    List<ImmediateCaller> c = new ArrayList<>(immediateCallers);
    Set<String> n = new HashSet<>(immediateByName);
    for (Path file : files) {
      JsonNode root;
      try {
        root = Mapper.JSON.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new CatalogueException(file + ": cannot read catalogue: " + e.getMessage());
      }
      Parsed p = parse(root, file.toString());
      b.addAll(p.blocking);
      c.addAll(p.callers);
      n.addAll(p.byName);
    }
    c.addAll(extraCallers);
    for (ImmediateCaller ic : extraCallers) {
      if (ic.owner() == null) {
        n.add(ic.method());
      }
    }
    return new Catalogue(b, c, n, lockMethods);
  }

  /**
   * This catalogue extended with a catalogue-shaped tree (the {@code blocking} and
   * {@code immediateCallers} of a {@code lockcheck.yaml}); {@code source} names it in errors.
   */
  public Catalogue extendedWith(JsonNode extension, String source) {
    Parsed p = parse(extension, source);
    List<BlockingMethod> b = new ArrayList<>(blocking);
    b.addAll(p.blocking);
    List<ImmediateCaller> c = new ArrayList<>(immediateCallers);
    c.addAll(p.callers);
    Set<String> n = new HashSet<>(immediateByName);
    n.addAll(p.byName);
    return new Catalogue(b, c, n, lockMethods);
  }

  /** This catalogue with more project-declared lock methods (lock/unlock pairs, try-with-resources wrappers). */
  public Catalogue withLockMethods(List<LockMethod> more) {
    List<LockMethod> l = new ArrayList<>(lockMethods);
    l.addAll(more);
    return new Catalogue(blocking, immediateCallers, immediateByName, l);
  }

  /** The project-declared lock methods. */
  public List<LockMethod> lockMethods() {
    return lockMethods;
  }

  /** The method names of the project-declared lock methods: calls that may start a lock region. */
  public Set<String> lockMethodNames() {
    return lockMethodNames;
  }

  /** True when some declared lock method is a wrapper (so {@code close()} on its handle releases a lock). */
  public boolean hasLockWrappers() {
    return hasLockWrappers;
  }

  private record Parsed(
      List<BlockingMethod> blocking, List<ImmediateCaller> callers, Set<String> byName) {}

  private static Parsed parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new CatalogueException(source + ": a catalogue is a JSON object with \"blocking\" and/or \"immediateCallers\" arrays");
    }
    List<BlockingMethod> blocking = new ArrayList<>();
    int i = 0;
    for (JsonNode e : root.path("blocking")) {
      String where = source + ": blocking[" + i++ + "]";
      String owner = text(e, "owner", where);
      String method = text(e, "method", where);
      List<Integer> arities = new ArrayList<>();
      JsonNode a = e.get("arity");
      if (a != null) {
        if (a.isInt()) {
          arities.add(a.asInt());
        } else if (a.isArray()) {
          a.forEach(x -> arities.add(x.asInt()));
        } else {
          throw new CatalogueException(where + ": \"arity\" must be a number or an array of numbers");
        }
      }
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
      String why = e.path("why").asText("listed as blocking in " + source.substring(source.lastIndexOf('/') + 1));
      blocking.add(new BlockingMethod(owner, method, arities, releases, why));
    }
    List<ImmediateCaller> callers = new ArrayList<>();
    i = 0;
    for (JsonNode e : root.path("immediateCallers")) {
      String where = source + ": immediateCallers[" + i++ + "]";
      String owner = e.hasNonNull("owner") ? e.get("owner").asText() : null;
      callers.add(new ImmediateCaller(owner, text(e, "method", where)));
    }
    Set<String> byName = new HashSet<>();
    root.path("immediateByName").forEach(x -> byName.add(x.asText()));
    return new Parsed(blocking, callers, byName);
  }

  private static String text(JsonNode e, String field, String where) {
    JsonNode v = e.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new CatalogueException(where + ": needs a \"" + field + "\" string");
    }
    return v.asText();
  }

  /** Every blocking entry whose method name is {@code name} (the cheap pre-match). */
  public List<BlockingMethod> blockingNamed(String name) {
    return blockingByName.getOrDefault(name, List.of());
  }

  /** All blocking entries. */
  public List<BlockingMethod> blocking() {
    return blocking;
  }

  /** All immediate callers. */
  public List<ImmediateCaller> immediateCallers() {
    return immediateCallers;
  }

  /** Method names treated as immediate callers even when the receiver's type is unknown. */
  public boolean immediateByName(String name) {
    return immediateByName.contains(name);
  }

  /** A user catalogue that cannot be used; the message names the file and the entry. */
  public static final class CatalogueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogueException(String message) {
      super(message);
    }
  }
}
