package dev.sharedstate.lockcheck.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the catalogue's library units say about their libraries' types, for code checked without the
 * library on {@code --classpath}: that {@code io.netty.channel.ChannelFuture} is a
 * {@code io.netty.util.concurrent.Future}, that {@code OkHttpClient.newCall} returns a {@code Call},
 * that a class named {@code *BlockingStub} is a gRPC {@code AbstractBlockingStub}. The last resort of
 * {@link TypeUniverse#lookup}: the class path and the checked sources answer first, so a library's real
 * jar or its own sources always win over this summary.
 */
public final class DeclaredTypes {

  /** No declared types. */
  public static final DeclaredTypes NONE = new DeclaredTypes(List.of());

  /**
   * One declared type, or a family of them: {@code name} is a qualified name, or {@code *Suffix} for
   * every type whose simple name ends with the suffix.
   *
   * @param supertypes qualified names of its supertypes (only those that matter to lockcheck)
   * @param returns the return types of some of its methods, by method name (for call chains such as
   *     {@code client.newCall(request).execute()}); {@code "this"} for the type itself (a builder's
   *     {@code withDeadlineAfter(..)} on a generated stub)
   */
  public record Declared(String name, boolean isInterface, List<String> supertypes, Map<String, String> returns) {
    public Declared {
      supertypes = List.copyOf(supertypes);
      returns = Map.copyOf(returns);
    }

    boolean isPattern() {
      return name.startsWith("*");
    }
  }

  private final java.util.function.Supplier<List<Declared>> source;
  private final ConcurrentHashMap<String, Optional<TypeInfo>> infos = new ConcurrentHashMap<>();
  private volatile Index index;

  /** The declared types, indexed by name; patterns apart. */
  private record Index(Map<String, Declared> byName, List<Declared> patterns) {}

  public DeclaredTypes(List<Declared> declared) {
    List<Declared> copy = List.copyOf(declared);
    this.source = () -> copy;
  }

  private DeclaredTypes(java.util.function.Supplier<List<Declared>> source) {
    this.source = source;
  }

  /**
   * Declared types read when first asked for: the catalogue is read on a background thread, and a
   * type universe is made before the sources are parsed.
   */
  public static DeclaredTypes deferred(java.util.function.Supplier<List<Declared>> source) {
    return new DeclaredTypes(source);
  }

  private Index index() {
    Index x = index;
    if (x == null) {
      Map<String, Declared> byName = new HashMap<>();
      List<Declared> patterns = new ArrayList<>();
      for (Declared d : source.get()) {
        if (d.isPattern()) {
          patterns.add(d);
        } else {
          // several units may declare the same type (an owner is declared implicitly): merge what they say
          byName.merge(d.name(), d, DeclaredTypes::merge);
        }
      }
      index = x = new Index(byName, patterns);
    }
    return x;
  }

  private static Declared merge(Declared a, Declared b) {
    List<String> sup = new ArrayList<>(a.supertypes());
    b.supertypes().stream().filter(s -> !sup.contains(s)).forEach(sup::add);
    Map<String, String> ret = new HashMap<>(b.returns());
    ret.putAll(a.returns());
    return new Declared(a.name(), a.isInterface() || b.isInterface(), sup, ret);
  }

  /** Every declared type and pattern (for tests and documentation). */
  public List<Declared> all() {
    List<Declared> out = new ArrayList<>(index().byName().values());
    out.addAll(index().patterns());
    return out;
  }

  public boolean isEmpty() {
    return index().byName().isEmpty() && index().patterns().isEmpty();
  }

  /**
   * The return type declared for {@code method} of the first of {@code types} that declares one: used
   * when a library's real signature returns a type variable lockcheck cannot bind (Spring's
   * {@code UriSpec<S>.uri(..)} returns {@code S}), so that the jar on the class path never makes a
   * call chain less known than the source alone.
   */
  public Optional<JType> declaredReturn(List<String> types, String method) {
    Map<String, Declared> byName = index().byName();
    for (String t : types) {
      Declared d = byName.get(t);
      if (d != null && d.returns().containsKey(method)) {
        String r = d.returns().get(method);
        return Optional.of(JType.of(r.equals("this") ? t : r));
      }
    }
    return Optional.empty();
  }

  /** The declared type with this qualified name (nested types joined with dots), if any. */
  public Optional<TypeInfo> lookup(String qualifiedName) {
    if (isEmpty()) {
      return Optional.empty();
    }
    Optional<TypeInfo> hit = infos.get(qualifiedName);
    if (hit != null) {
      return hit;
    }
    Index x = index();
    List<Declared> patterns = x.patterns();
    Declared d = x.byName().get(qualifiedName);
    if (d == null) {
      String simple = qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
      for (Declared p : patterns) {
        String suffix = p.name().substring(1);
        if (simple.endsWith(suffix) && simple.length() > suffix.length()) {
          d = new Declared(qualifiedName, p.isInterface(), p.supertypes(), p.returns());
          break;
        }
      }
    }
    Optional<TypeInfo> found = d == null ? Optional.empty() : Optional.of(new Info(d));
    if (d != null || patterns.isEmpty()) {
      // misses of a pattern-free set are cached too; with patterns, names are too many to keep
      Optional<TypeInfo> prev = infos.putIfAbsent(qualifiedName, found);
      return prev != null ? prev : found;
    }
    return found;
  }

  private static final class Info implements TypeInfo {
    private final Declared d;
    private final List<JType> supers;

    Info(Declared d) {
      this.d = d;
      List<JType> s = new ArrayList<>();
      for (String q : d.supertypes()) {
        s.add(JType.of(q));
      }
      s.add(JType.of("java.lang.Object"));
      this.supers = List.copyOf(s);
    }

    @Override
    public String qualifiedName() {
      return d.name();
    }

    @Override
    public boolean isInterface() {
      return d.isInterface();
    }

    @Override
    public List<String> typeParameters() {
      return List.of();
    }

    @Override
    public List<JType> directSupertypes() {
      return supers;
    }

    @Override
    public Optional<JType> fieldType(String name) {
      return Optional.empty();
    }

    @Override
    public List<MethodSig> methods(String name) {
      String r = d.returns().get(name);
      if (r == null) {
        return List.of();
      }
      // the parameters are not declared: any argument count is accepted, each argument of unknown type
      JType ret = JType.of(r.equals("this") ? d.name() : r);
      return List.of(new MethodSig(d.name(), name, List.of(JType.UNKNOWN.withDims(1)), true, false, false, ret));
    }

    @Override
    public Optional<MethodSig> singleAbstractMethod() {
      return Optional.empty();
    }
  }
}
