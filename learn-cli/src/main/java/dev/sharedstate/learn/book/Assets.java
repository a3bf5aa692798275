package dev.sharedstate.learn.book;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser side of the book, all from this program's class path: its own scripts and styles
 * ({@code assets/}) and the webjars of CodeMirror 6 and highlight.js ({@code webjars/}), so the book
 * works offline and loads nothing from a CDN. CodeMirror's packages are ES modules that import each
 * other by bare name ({@code @codemirror/state}); the {@linkplain #importMap import map} built here
 * from each webjar's {@code package.json} tells the browser where each lives.
 *
 * <p>Only the webjars named here and plain file names are served: a path with any other character,
 * an empty or dot segment, or another webjar gets nothing.
 */
final class Assets {

  /** npm name → webjar artifact, for the import map (CodeMirror 6 and what its packages import). */
  static final Map<String, String> MODULES = Map.ofEntries(
      Map.entry("codemirror", "codemirror"),
      Map.entry("@codemirror/state", "codemirror__state"),
      Map.entry("@codemirror/view", "codemirror__view"),
      Map.entry("@codemirror/lint", "codemirror__lint"),
      Map.entry("@codemirror/language", "codemirror__language"),
      Map.entry("@codemirror/commands", "codemirror__commands"),
      Map.entry("@codemirror/autocomplete", "codemirror__autocomplete"),
      Map.entry("@codemirror/search", "codemirror__search"),
      Map.entry("@codemirror/legacy-modes", "codemirror__legacy-modes"),
      Map.entry("@lezer/common", "lezer__common"),
      Map.entry("@lezer/highlight", "lezer__highlight"),
      Map.entry("@lezer/lr", "lezer__lr"),
      Map.entry("style-mod", "style-mod"),
      Map.entry("w3c-keyname", "w3c-keyname"),
      Map.entry("crelt", "crelt"),
      Map.entry("@marijn/find-cluster-break", "marijn__find-cluster-break"));

  private static final String HIGHLIGHTJS = "highlightjs";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern OWN = Pattern.compile("[a-z0-9-]+\\.(js|css|svg|png)");
  private static final String OWN_ROOT = "dev/sharedstate/learn/book/assets/";

  private final Map<String, String> versions = new LinkedHashMap<>();
  private final String importMap;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /** A served file: its bytes and content type. */
  record Asset(byte[] bytes, String contentType, boolean immutable) {}

  Assets() {
    for (String artifact : MODULES.values()) {
      versions.put(artifact, version("org.webjars.npm", artifact));
    }
    versions.put(HIGHLIGHTJS, version("org.webjars", HIGHLIGHTJS));
    this.importMap = buildImportMap();
  }

  /** The highlight.js webjar's folder, e.g. {@code webjars/highlightjs/11.11.1/}. */
  String highlightJs() {
    return "webjars/" + HIGHLIGHTJS + "/" + versions.get(HIGHLIGHTJS) + "/";
  }

  /** The import map's JSON, exactly as it goes into the page (its hash is in the CSP). */
  String importMap() {
    return importMap;
  }

  /** {@code 'sha256-...'}: the CSP source that allows the inline import map and nothing else. */
  String importMapHash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(importMap.getBytes(StandardCharsets.UTF_8));
      return "'sha256-" + Base64.getEncoder().encodeToString(d) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String buildImportMap() {
    ObjectMapper json = new ObjectMapper();
    var imports = json.createObjectNode();
    for (var e : MODULES.entrySet()) {
      String base = "/webjars/" + e.getValue() + "/" + versions.get(e.getValue()) + "/";
      JsonNode pkg;
      try (InputStream in = resource("META-INF/resources/" + base.substring(1) + "package.json")) {
        if (in == null) {
          throw new IllegalStateException("webjar " + e.getValue() + " has no package.json on the class path");
        }
        pkg = json.readTree(in);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      imports.put(e.getKey(), base + entryPoint(pkg));
      imports.put(e.getKey() + "/", base);
    }
    var root = json.createObjectNode();
    root.set("imports", sorted(imports, json));
    try {
      return json.writeValueAsString(root);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static JsonNode sorted(com.fasterxml.jackson.databind.node.ObjectNode node, ObjectMapper json) {
    var out = json.createObjectNode();
    var names = new java.util.ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    for (String n : names) {
      out.set(n, node.get(n));
    }
    return out;
  }

  /** The ES module a package's bare name means: {@code exports["."].import}, else "module", else "main". */
  static String entryPoint(JsonNode pkg) {
    JsonNode exports = pkg.path("exports");
    JsonNode dot = exports.isTextual() ? exports : exports.path(".");
    if (dot.isTextual()) {
      return strip(dot.asText());
    }
    for (String key : List.of("import", "default")) {
      JsonNode v = dot.path(key);
      if (v.isTextual()) {
        return strip(v.asText());
      }
      if (v.isObject() && v.path("default").isTextual()) {
        return strip(v.path("default").asText());
      }
    }
    if (pkg.path("module").isTextual()) {
      return strip(pkg.path("module").asText());
    }
    return strip(pkg.path("main").asText("index.js"));
  }

  private static String strip(String p) {
    return p.startsWith("./") ? p.substring(2) : p;
  }

  private static String version(String group, String artifact) {
    try (InputStream in = resource("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the " + group + ":" + artifact + " webjar is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    return Assets.class.getClassLoader().getResourceAsStream(name);
  }

  /** The file for a request path below {@code /assets/} or {@code /webjars/}, if it is one we serve. */
  Optional<Asset> find(String path) {
    if (path.startsWith("/assets/")) {
      String name = path.substring("/assets/".length());
      if (!OWN.matcher(name).matches()) {
        return Optional.empty();
      }
      return load(OWN_ROOT + name).map(b -> new Asset(b, contentType(name), false));
    }
    if (path.startsWith("/webjars/")) {
      String[] parts = path.substring("/webjars/".length()).split("/", -1);
      if (parts.length < 3 || !versions.containsKey(parts[0]) || !parts[1].equals(versions.get(parts[0]))) {
        return Optional.empty();
      }
      for (String part : parts) {
        if (!SEGMENT.matcher(part).matches()) {
          return Optional.empty();
        }
      }
      String name = parts[parts.length - 1];
      if (!(name.endsWith(".js") || name.endsWith(".css"))) {
        return Optional.empty();
      }
      return load("META-INF/resources" + path).map(b -> new Asset(b, contentType(name), true));
    }
    return Optional.empty();
  }

  private Optional<byte[]> load(String resource) {
    return cache.computeIfAbsent(resource, r -> {
      try (InputStream in = resource(r)) {
        return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  /** Every file of the given webjar folder or own asset, for the static export. */
  Optional<byte[]> bytes(String path) {
    return find(path).map(Asset::bytes);
  }

  static String contentType(String name) {
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".png")) {
      return "image/png";
    }
    return "application/octet-stream";
  }
}
