package dev.sharedstate.lockcheck.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sharedstate.lockcheck.Lockcheck;
import dev.sharedstate.lockcheck.blocking.LockMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A project's {@code lockcheck.yaml} (documented in {@code checker/docs/config.md}): the project's own
 * lock methods (lock/unlock pairs and try-with-resources wrappers), more blocking methods and immediate
 * callers (the catalogue's shape), catalogue files, the target release and the baseline. Read strictly:
 * an unknown key or a value of the wrong type is an error naming the file, line and key.
 */
public record ProjectConfig(
    Path file,
    Integer release,
    Path baseline,
    List<LockMethod> lockMethods,
    JsonNode catalogueExtension,
    List<String> immediateCallers,
    List<Path> catalogues) {

  /** The file name searched for next to the sources. */
  public static final String FILE_NAME = ConfigFile.NAME;

  /** Built on first use only: a run without a config never loads the YAML parser (startup time). */
  private static final class Yaml {
    static final ObjectMapper MAPPER = YAMLMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // release: 1.8 is an error, not release 1
        .build();
  }

  // ------------------------------------------------------------ the file's shape (bound strictly)
  // Plain fields, not records: Jackson then reports an unknown key at its own line (a record's creator
  // buffers the keys and reports at the end of the mapping).

  static final class Raw {
    public Integer release;
    public String baseline;
    public List<Pair> locks;
    public List<String> lockWrappers;
    public List<Blocking> blocking;
    public List<String> immediateCallers;
    public List<String> catalogues;
  }

  static final class Pair {
    public String lock;
    public String unlock;
  }

  enum Releases {
    @JsonProperty("nothing") NOTHING,
    @JsonProperty("receiver-monitor") RECEIVER_MONITOR,
    @JsonProperty("argument-monitor") ARGUMENT_MONITOR,
    @JsonProperty("condition-lock") CONDITION_LOCK;

    String jsonName() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  static final class Blocking {
    public String owner;
    public String method;
    public List<Integer> arity;
    public Releases releases;
    public String why;
  }

  // ------------------------------------------------------------ loading

  /** The config that applies to {@code path}: see {@link ConfigFile#discover}. */
  public static Optional<Path> discover(Path path) {
    return ConfigFile.discover(path);
  }

  /**
   * Reads and checks a config file. Relative paths in it ({@code baseline}, {@code catalogues}) are
   * relative to its directory.
   *
   * @throws ConfigException naming the file, the line and the key, and what to do
   */
  public static ProjectConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found (name an existing lockcheck.yaml, or drop --config)");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": cannot read the config file: permission denied");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the config file: " + e.getMessage());
    }
    Raw raw;
    try {
      raw = text.isBlank() ? null : Yaml.MAPPER.readValue(text, Raw.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(describe(file, text, e));
    }
    if (raw == null) {
      raw = new Raw();
    }
    return from(file, raw);
  }

  private static ProjectConfig from(Path file, Raw raw) {
    Path dir = file.toAbsolutePath().normalize().getParent();
    List<LockMethod> locks = new ArrayList<>();
    int i = 0;
    for (Pair p : orEmpty(raw.locks)) {
      String where = file + ": locks[" + i++ + "]";
      locks.add(LockMethod.parse(spec(p.lock, where + ".lock"), LockMethod.Kind.LOCK));
      locks.add(LockMethod.parse(spec(p.unlock, where + ".unlock"), LockMethod.Kind.UNLOCK));
    }
    i = 0;
    for (String w : orEmpty(raw.lockWrappers)) {
      locks.add(LockMethod.parse(spec(w, file + ": lockWrappers[" + i++ + "]"), LockMethod.Kind.WRAPPER));
    }
    i = 0;
    for (String c : orEmpty(raw.immediateCallers)) {
      spec(c, file + ": immediateCallers[" + i++ + "]");
    }
    if (raw.release != null && (raw.release < 1 || raw.release > 99)) {
      throw new ConfigException(file + ": release: " + raw.release + " is not a Java release (e.g. 21)");
    }
    // the blocking entries, in the catalogue's JSON shape, so the catalogue parses them as its own
    ObjectNode ext = Yaml.MAPPER.createObjectNode();
    ArrayNode blocking = ext.putArray("blocking");
    i = 0;
    for (Blocking b : orEmpty(raw.blocking)) {
      String where = file + ": blocking[" + i++ + "]";
      ObjectNode o = blocking.addObject();
      o.put("owner", required(b.owner, where, "owner", "a qualified type name, e.g. com.example.rpc.Channel"));
      o.put("method", required(b.method, where, "method", "a method name"));
      if (b.arity != null) {
        ArrayNode a = o.putArray("arity");
        b.arity.forEach(a::add);
      }
      if (b.releases != null) {
        o.put("releases", b.releases.jsonName());
      }
      if (b.why != null) {
        o.put("why", b.why);
      }
    }
    List<Path> catalogues = orEmpty(raw.catalogues).stream().map(dir::resolve).toList();
    Path baseline = raw.baseline == null || raw.baseline.isBlank() ? null : dir.resolve(raw.baseline);
    return new ProjectConfig(file, raw.release, baseline, locks, ext, orEmpty(raw.immediateCallers), catalogues);
  }

  private static String required(String v, String where, String key, String what) {
    if (v == null || v.isBlank()) {
      throw new ConfigException(where + ": needs '" + key + "': " + what + " (see checker/docs/config.md)");
    }
    return v;
  }

  private static String spec(String s, String where) {
    if (s == null || s.isBlank() || s.endsWith("#") || s.startsWith("#")) {
      throw new ConfigException(where + ": needs a method, as [qualified.Owner#]method (e.g. com.example.Guard#enter; "
          + "see checker/docs/config.md)");
    }
    return s;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l.stream().filter(x -> x != null).toList();
  }

  /** A Jackson error as {@code file:line:col: key: what is wrong}. */
  private static String describe(Path file, String text, JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p && p.currentTokenLocation() != null
        && p.currentTokenLocation().getLineNr() > 0) {
      l = p.currentTokenLocation(); // the value at fault (YAML's current location is past it)
    }
    String at = l == null || l.getLineNr() < 1 ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
    if (e instanceof UnrecognizedPropertyException u && l != null && l.getLineNr() > 0) {
      // Jackson is at the key's value by now: the key is on that line or the nearest one above
      String[] lines = text.split("\n", -1);
      Pattern key = Pattern.compile("^(\\s*(?:-\\s+)?)[\"']?" + Pattern.quote(u.getPropertyName()) + "[\"']?\\s*:");
      for (int i = Math.min(l.getLineNr(), lines.length) - 1; i >= 0; i--) {
        Matcher m = key.matcher(lines[i]);
        if (m.find()) {
          at = ":" + (i + 1) + ":" + (m.group(1).length() + 1);
          break;
        }
      }
    }
    String key = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      key = m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining(".")).replace(".[", "[") + ": ";
    }
    String what = switch (e) {
      case UnrecognizedPropertyException u -> "unknown key '" + u.getPropertyName() + "' (known here: "
          + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
      case InvalidFormatException f -> "'" + f.getValue() + "' is not " + typeWord(f.getTargetType());
      case MismatchedInputException m when m.getTargetType() != null -> "expected " + typeWord(m.getTargetType());
      default -> "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("").strip();
    };
    if (e instanceof UnrecognizedPropertyException) {
      key = key.substring(0, Math.max(0, key.length() - 2 - ((UnrecognizedPropertyException) e).getPropertyName().length()));
      key = key.endsWith(".") ? key.substring(0, key.length() - 1) + ": " : key;
    }
    return file + at + ": " + key + what + " (see checker/docs/config.md)";
  }

  private static String typeWord(Class<?> t) {
    if (t == Integer.class || t == int.class) {
      return "a whole number";
    }
    if (t == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(t)) {
      return "a list";
    }
    if (t == Releases.class) {
      return "one of nothing, receiver-monitor, argument-monitor, condition-lock";
    }
    if (t == Raw.class || t == Pair.class || t == Blocking.class) {
      return "a mapping (key: value lines)";
    }
    return "a " + t.getSimpleName();
  }

  // ------------------------------------------------------------ applying

  /** The checker with this config's lock methods, blocking methods, catalogues and immediate callers. */
  public Lockcheck applyTo(Lockcheck checker) {
    Lockcheck c = checker.withCatalogue(catalogues, immediateCallers)
        .withCatalogueData(cat -> cat.extendedWith(catalogueExtension, file.toString()).withLockMethods(lockMethods));
    if (release != null) {
      c = c.withRelease(release);
    }
    return c;
  }

  /** A config file that cannot be used: the message names the file, line, key and what to do. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }
}
