package dev.sharedstate.lockcheck.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sharedstate.lockcheck.types.DeclaredTypes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every entry of the built-in catalogue names a real method of the library it is about: each unit's
 * owners, methods, argument counts, exceptions, callback types, test doubles, lock methods and
 * declared types are resolved by reflection, JDK units against the running JDK and library units
 * against the jars the unit names (test-scoped dependencies pinned in the root pom). A typo, a renamed
 * method, an overload that does not exist or a declared supertype that is not one fails the build.
 * Entries marked {@code "jdk": "24+"} (or {@code "21-24"}) are checked only on the JDKs they are for.
 */
class CatalogueEntriesTest {

  private static final int FEATURE = Runtime.version().feature();

  private record Unit(String name, JsonNode root) {
    boolean isLibrary() {
      return root.has("library");
    }

    List<String> artifacts() {
      List<String> out = new ArrayList<>();
      root.path("artifacts").forEach(a -> out.add(a.asText().substring(a.asText().indexOf(':') + 1)));
      return out;
    }
  }

  private static List<Unit> units() throws IOException {
    List<Unit> out = new ArrayList<>();
    JsonNode index = read("index.json");
    for (JsonNode u : index.path("units")) {
      String file = u.asText();
      out.add(new Unit(file.substring(0, file.length() - ".json".length()), read(file)));
    }
    return out;
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = Catalogue.class.getResourceAsStream(resource)) {
      assertTrue(in != null, "missing resource " + resource);
      return Catalogue.readTree(in);
    }
  }

  @Test
  void theIndexListsEveryUnitAndTheCatalogueLoadsThem() throws IOException {
    List<Unit> units = units();
    assertTrue(units.stream().filter(u -> u.name().startsWith("jdk/")).count() >= 15, "JDK families");
    assertTrue(units.stream().filter(Unit::isLibrary).count() >= 13, "libraries");
    assertEquals(units.stream().map(Unit::name).toList(), Catalogue.builtIn().units());
    assertTrue(Catalogue.builtIn().blocking().size() > 400, "entries: " + Catalogue.builtIn().blocking().size());
    for (Unit u : units) {
      assertTrue(u.root().hasNonNull(u.isLibrary() ? "library" : "about"), u.name() + ": says what it is about");
      if (u.isLibrary()) {
        assertFalse(u.artifacts().isEmpty(), u.name() + ": names its Maven artifacts");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyEntryNamesARealMethod() throws IOException {
    return units().stream().map(u -> DynamicTest.dynamicTest(u.name(), () -> checkUnit(u)));
  }

  private static void checkUnit(Unit u) {
    List<String> problems = new ArrayList<>();
    int i = 0;
    for (JsonNode e : u.root().path("blocking")) {
      String where = u.name() + ": blocking[" + i++ + "] " + e.path("owner").asText() + "#" + e.path("method").asText();
      if (!forThisJdk(e)) {
        continue;
      }
      Optional<Class<?>> owner = load(e.path("owner").asText(), u, where, problems);
      if (owner.isEmpty()) {
        continue;
      }
      String method = e.path("method").asText();
      List<Method> all = publicMethods(owner.get());
      if (method.equals("*")) {
        // an exception may name a method of the owner or of a subtype the unit declares (a wildcard
        // covers every method called on a receiver of the owner's type or a subtype)
        Set<String> names = new HashSet<>();
        all.forEach(m -> names.add(m.getName()));
        for (JsonNode t : u.root().path("types")) {
          boolean sub = false;
          for (JsonNode s : t.path("supertypes")) {
            sub |= s.asText().equals(e.path("owner").asText());
          }
          if (sub && !t.path("name").asText().startsWith("*")) {
            load(t.path("name").asText(), u, where, problems).ifPresent(c -> publicMethods(c).forEach(m -> names.add(m.getName())));
          }
        }
        for (JsonNode x : e.path("except")) {
          if (!names.contains(x.asText())) {
            problems.add(where + ": except names no method of the owner: " + x.asText());
          }
        }
        continue;
      }
      if (method.equals("new")) {
        // a constructor entry: the owner must have a public constructor for every arity listed
        List<java.lang.reflect.Constructor<?>> ctors = List.of(owner.get().getConstructors());
        if (ctors.isEmpty()) {
          problems.add(where + ": no public constructor");
        }
        for (JsonNode a : e.path("arity")) {
          int n = a.asInt();
          if (ctors.stream().noneMatch(c -> c.isVarArgs() ? n >= c.getParameterCount() - 1 : n == c.getParameterCount())) {
            problems.add(where + ": no public constructor takes " + n + " argument(s)");
          }
        }
        if (e.has("hostArgument") && e.path("arity").size() > 0) {
          int h = e.path("hostArgument").asInt();
          for (JsonNode a : e.path("arity")) {
            if (ctors.stream().filter(c -> c.getParameterCount() == a.asInt())
                .noneMatch(c -> h < c.getParameterCount() && c.getParameterTypes()[h] == String.class)) {
              problems.add(where + ": no " + a.asInt() + "-argument constructor takes a host String at " + h);
            }
          }
        }
        for (String field : List.of("unlessArgument", "notFor")) {
          for (JsonNode t : e.path(field)) {
            load(t.asText(), u, where + " " + field, problems);
          }
        }
        continue;
      }
      List<Method> named = all.stream().filter(m -> m.getName().equals(method)).toList();
      if (named.isEmpty()) {
        problems.add(where + ": no such public method");
        continue;
      }
      if (e.has("hostArgument")) {
        int h = e.path("hostArgument").asInt();
        if (named.stream().noneMatch(m -> h < m.getParameterCount() && m.getParameterTypes()[h] == String.class)) {
          problems.add(where + ": no overload takes a host String at argument " + h);
        }
      }
      for (JsonNode a : e.path("arity")) {
        int n = a.asInt();
        if (named.stream().noneMatch(m -> accepts(m, n))) {
          problems.add(where + ": no overload takes " + n + " argument(s)");
        }
      }
      for (String field : List.of("unlessArgument", "notFor")) {
        for (JsonNode t : e.path(field)) {
          load(t.asText(), u, where + " " + field, problems);
        }
      }
    }
    i = 0;
    for (JsonNode e : u.root().path("locks")) {
      String where = u.name() + ": locks[" + i++ + "] " + e.path("owner").asText() + "#" + e.path("method").asText();
      Optional<Class<?>> owner = load(e.path("owner").asText(), u, where, problems);
      if (owner.isEmpty()) {
        continue;
      }
      List<Method> named = publicMethods(owner.get()).stream().filter(m -> m.getName().equals(e.path("method").asText())).toList();
      for (JsonNode a : e.path("arity")) {
        if (named.stream().noneMatch(m -> accepts(m, a.asInt()))) {
          problems.add(where + ": no overload takes " + a.asInt() + " argument(s)");
        }
      }
      if (named.isEmpty()) {
        problems.add(where + ": no such public method");
      }
    }
    i = 0;
    for (JsonNode t : u.root().path("types")) {
      String name = t.path("name").asText();
      String where = u.name() + ": types[" + i++ + "] " + name;
      List<Class<?>> supers = new ArrayList<>();
      for (JsonNode s : t.path("supertypes")) {
        load(s.asText(), u, where + " supertype", problems).ifPresent(supers::add);
      }
      if (name.startsWith("*") || !forThisJdk(t)) {
        continue;
      }
      Optional<Class<?>> type = load(name, u, where, problems);
      if (type.isEmpty()) {
        continue;
      }
      for (Class<?> s : supers) {
        if (!s.isAssignableFrom(type.get())) {
          problems.add(where + ": is not a " + s.getName());
        }
      }
      if (t.path("interface").asBoolean(false) != type.get().isInterface()) {
        problems.add(where + ": \"interface\" should be " + type.get().isInterface());
      }
      for (Map.Entry<String, JsonNode> r : t.path("returns").properties()) {
        String ret = r.getValue().asText();
        Optional<Class<?>> declared = ret.equals("this") ? type : load(ret, u, where + " returns", problems);
        List<Method> named = publicMethods(type.get()).stream().filter(m -> m.getName().equals(r.getKey())).toList();
        if (named.isEmpty()) {
          problems.add(where + ": no method " + r.getKey() + " for \"returns\"");
        } else if (declared.isPresent() && named.stream().noneMatch(m -> related(m.getReturnType(), declared.get()))) {
          problems.add(where + ": " + r.getKey() + " returns no " + declared.get().getName());
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }

  /** The declared return type is the real one, a supertype, or (for a self-typed builder) a subtype. */
  private static boolean related(Class<?> real, Class<?> declared) {
    return declared.isAssignableFrom(real) || real.isAssignableFrom(declared);
  }

  private static boolean forThisJdk(JsonNode e) {
    String range = e.path("jdk").asText("");
    if (range.isEmpty()) {
      return true;
    }
    if (range.endsWith("+")) {
      return FEATURE >= Integer.parseInt(range.substring(0, range.length() - 1));
    }
    String[] lo = range.split("-");
    return FEATURE >= Integer.parseInt(lo[0]) && FEATURE <= Integer.parseInt(lo[1]);
  }

  private static boolean accepts(Method m, int args) {
    int n = m.getParameterCount();
    return m.isVarArgs() ? args >= n - 1 : args == n;
  }

  private static List<Method> publicMethods(Class<?> c) {
    List<Method> out = new ArrayList<>(List.of(c.getMethods()));
    for (Method m : c.getDeclaredMethods()) {
      if (Modifier.isProtected(m.getModifiers()) || Modifier.isPublic(m.getModifiers())) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Loads a type by its qualified name (nested types with dots) and checks that it comes from where
   * the unit says: the JDK for a JDK unit, one of the unit's artifacts (or the JDK) for a library.
   */
  private static Optional<Class<?>> load(String name, Unit u, String where, List<String> problems) {
    Class<?> c = null;
    String binary = name;
    while (c == null) {
      try {
        c = Class.forName(binary, false, CatalogueEntriesTest.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        int dot = binary.lastIndexOf('.');
        if (dot < 0) {
          problems.add(where + ": no such type " + name);
          return Optional.empty();
        }
        binary = binary.substring(0, dot) + "$" + binary.substring(dot + 1);
      }
    }
    if (c.getModule().isNamed() && ModuleLayer.boot().findModule(c.getModule().getName()).isPresent()) {
      return Optional.of(c); // the JDK (JDK types are fine in library units too: a supertype, a callback type)
    }
    URL from = c.getProtectionDomain().getCodeSource() == null ? null : c.getProtectionDomain().getCodeSource().getLocation();
    String jar = from == null ? "?" : from.getPath();
    if (!u.isLibrary() || u.artifacts().stream().noneMatch(a -> jar.contains("/" + a + "-"))) {
      problems.add(where + ": " + name + " comes from " + jar + ", not from " + (u.isLibrary() ? u.artifacts() : "the JDK"));
    }
    return Optional.of(c);
  }

  @Test
  void wildcardEntriesCoverOnlyTheLibrarysCommands() {
    // A gRPC stub's own methods (withDeadlineAfter...) are all excepted: only generated RPC methods remain.
    BlockingMethod stub = find("io.grpc.stub.AbstractBlockingStub", "*");
    Set<String> left = new HashSet<>();
    for (Method m : io.grpc.stub.AbstractBlockingStub.class.getMethods()) {
      if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers()) && stub.coversName(m.getName())) {
        left.add(m.getName());
      }
    }
    assertEquals(Set.of(), left, "AbstractBlockingStub methods a wildcard would take for RPCs");
    // Jedis: its non-command methods are excepted; its commands are covered.
    BlockingMethod jedis = find("redis.clients.jedis.Jedis", "*");
    assertTrue(jedis.coversName("get") && jedis.coversName("blpop"));
    assertFalse(jedis.coversName("isConnected") || jedis.coversName("getClient") || jedis.coversName("wait"));
  }

  @Test
  void declaredTypesAreTheLastResortAndFollowPatterns() {
    DeclaredTypes d = Catalogue.builtIn().declaredTypes();
    assertTrue(d.lookup("io.netty.channel.ChannelFuture").isPresent());
    assertTrue(d.lookup("com.example.GreeterGrpc.GreeterBlockingStub").isPresent(), "the *BlockingStub pattern");
    assertFalse(d.lookup("com.example.BlockingStubs").isPresent());
    assertFalse(d.lookup("com.example.Call").isPresent());
    Map<String, Integer> byUnit = new LinkedHashMap<>();
    Catalogue.builtIn().blocking().forEach(b -> byUnit.merge(b.unit(), 1, Integer::sum));
    assertTrue(byUnit.keySet().containsAll(List.of("jdk/sql", "libraries/jetty", "libraries/zookeeper")), byUnit.toString());
  }

  private static BlockingMethod find(String owner, String method) {
    return Catalogue.builtIn().blocking().stream()
        .filter(b -> b.owner().equals(owner) && b.method().equals(method)).findFirst().orElseThrow();
  }
}
