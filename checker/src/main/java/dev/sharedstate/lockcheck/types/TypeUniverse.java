package dev.sharedstate.lockcheck.types;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every type lockcheck can see: the running JDK first, then the sources being checked, then the
 * {@code --classpath} jars (a jar that also holds a checked type, such as the project's own classes,
 * never hides its source), then what the catalogue's library units declare about their
 * libraries' types ({@link DeclaredTypes}: knowing the real jar or sources never makes less known).
 * Answers the hierarchy questions the matcher asks ("is this a
 * Future?") and the generic ones the expression typer asks ("what does {@code get} return on a
 * {@code Map<K, CompletableFuture<V>>}?"). Thread-safe; shared by all files of a run.
 */
public final class TypeUniverse {

  private final LibraryTypes library;
  private final SourceIndex sources;
  private final DeclaredTypes declared;
  private final ConcurrentHashMap<String, Set<String>> supertypes = new ConcurrentHashMap<>();

  public TypeUniverse(LibraryTypes library, SourceIndex sources) {
    this(library, sources, DeclaredTypes.NONE);
  }

  public TypeUniverse(LibraryTypes library, SourceIndex sources, DeclaredTypes declared) {
    this.library = library;
    this.sources = sources;
    this.declared = declared;
    sources.attach(this);
  }

  /** The sources being checked. */
  public SourceIndex sources() {
    return sources;
  }

  public Optional<TypeInfo> lookup(String qualifiedName) {
    Optional<TypeInfo> t = library.lookup(qualifiedName);
    if (t.isPresent() && LibraryTypes.isJdkType(t.get())) {
      return t;
    }
    // The checked sources win over a --classpath jar that has the same type (the Maven plugin puts the
    // project's own target/classes on the class path): a jar has no bodies to follow calls into.
    Optional<TypeInfo> s = sources.lookup(qualifiedName);
    if (s.isPresent()) {
      return s;
    }
    return t.isPresent() ? t : declared.lookup(qualifiedName);
  }

  public boolean exists(String qualifiedName) {
    return lookup(qualifiedName).isPresent();
  }

  /** The qualified names of the type, all its supertypes, transitively, and java.lang.Object. */
  public Set<String> allSupertypes(String qualifiedName, FileContext via) {
    Set<String> hit = supertypes.get(qualifiedName);
    if (hit != null) {
      return hit;
    }
    Set<String> out = new LinkedHashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(qualifiedName);
    while (!todo.isEmpty() && out.size() < 500) {
      String q = todo.poll();
      if (!out.add(q)) {
        continue;
      }
      Optional<TypeInfo> info = via != null ? via.lookup(q) : lookup(q);
      info.ifPresent(i -> {
        for (JType s : i.directSupertypes()) {
          if (s.kind() == JType.Kind.CLASS) {
            todo.add(s.name());
          }
        }
      });
    }
    out.add("java.lang.Object");
    Set<String> result = Set.copyOf(out);
    // local and anonymous types are only known to their file: do not cache them globally
    if (via == null || !via.isLocalType(qualifiedName)) {
      supertypes.putIfAbsent(qualifiedName, result);
    }
    return result;
  }

  /** {@code t} viewed as its supertype {@code target}, with type arguments carried over; or null. */
  public JType asSuper(JType t, String target, FileContext via) {
    return asSuper(t, target, via, new HashSet<>(), 0);
  }

  private JType asSuper(JType t, String target, FileContext via, Set<String> seen, int depth) {
    if (t.kind() != JType.Kind.CLASS || depth > 30 || !seen.add(t.name())) {
      return null;
    }
    if (t.name().equals(target)) {
      return t;
    }
    Optional<TypeInfo> info = via != null ? via.lookup(t.name()) : lookup(t.name());
    if (info.isEmpty()) {
      return null;
    }
    Map<String, JType> b = bindings(info.get(), t);
    for (JType s : info.get().directSupertypes()) {
      JType r = asSuper(s.substitute(b), target, via, seen, depth + 1);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** Type-parameter bindings of {@code info} as instantiated by {@code t} (empty when raw). */
  public static Map<String, JType> bindings(TypeInfo info, JType t) {
    List<String> params = info.typeParameters();
    Map<String, JType> b = new HashMap<>();
    if (t.args().size() == params.size()) {
      for (int i = 0; i < params.size(); i++) {
        b.put(params.get(i), t.args().get(i));
      }
    }
    return b;
  }

  /** A method found on a receiver type, with the bindings that instantiate its declaring type. */
  public record FoundMethod(TypeInfo.MethodSig sig, Map<String, JType> bindings) {
    public JType returnType() {
      return sig.returnType().substitute(bindings);
    }

    public JType parameterType(int index) {
      List<JType> ps = sig.parameterTypes();
      if (ps.isEmpty()) {
        return JType.UNKNOWN;
      }
      JType p = ps.get(Math.min(index, ps.size() - 1));
      if (sig.varArgs() && index >= ps.size() - 1 && p.dims() > 0) {
        p = p.component();
      }
      return p.substitute(bindings);
    }
  }

  /** Methods named {@code name} that accept {@code arity} arguments on {@code receiver}'s hierarchy. */
  public List<FoundMethod> findMethods(JType receiver, String name, int arity, FileContext via) {
    if (receiver.kind() != JType.Kind.CLASS || receiver.dims() > 0) {
      return List.of();
    }
    java.util.ArrayList<FoundMethod> out = new java.util.ArrayList<>();
    Set<String> seenTypes = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>();
    todo.add(receiver.name());
    while (!todo.isEmpty() && seenTypes.size() < 200) {
      String q = todo.poll();
      if (!seenTypes.add(q)) {
        continue;
      }
      Optional<TypeInfo> info = via != null ? via.lookup(q) : lookup(q);
      if (info.isEmpty()) {
        continue;
      }
      for (TypeInfo.MethodSig m : info.get().methods(name)) {
        if (m.accepts(arity)) {
          JType declaringView = asSuper(receiver, m.declaringType(), via);
          Map<String, JType> b = Map.of();
          if (declaringView != null) {
            Optional<TypeInfo> d = via != null ? via.lookup(m.declaringType()) : lookup(m.declaringType());
            if (d.isPresent()) {
              b = bindings(d.get(), declaringView);
            }
          }
          if (m.returnType().kind() == JType.Kind.TYPEVAR && !declared.isEmpty()) {
            TypeInfo.MethodSig sig = m;
            Optional<JType> r = declared.declaredReturn(List.of(receiver.name(), q, m.declaringType()), name);
            if (r.isPresent() && m.returnType().substitute(b).kind() != JType.Kind.CLASS) {
              sig = new TypeInfo.MethodSig(m.declaringType(), m.name(), m.parameterTypes(), m.varArgs(), m.isStatic(),
                  m.isAbstract(), r.get());
            }
            out.add(new FoundMethod(sig, b));
            continue;
          }
          out.add(new FoundMethod(m, b));
        }
      }
      if (!out.isEmpty()) {
        break;
      }
      for (JType s : info.get().directSupertypes()) {
        if (s.kind() == JType.Kind.CLASS) {
          todo.add(s.name());
        }
      }
    }
    return out;
  }

  /** The type of field {@code name} on {@code receiver}'s hierarchy. */
  public Optional<JType> fieldType(JType receiver, String name, FileContext via) {
    if (receiver.kind() != JType.Kind.CLASS || receiver.dims() > 0) {
      return Optional.empty();
    }
    for (String q : allSupertypes(receiver.name(), via)) {
      Optional<TypeInfo> info = via != null ? via.lookup(q) : lookup(q);
      if (info.isPresent()) {
        Optional<JType> f = info.get().fieldType(name);
        if (f.isPresent()) {
          JType view = asSuper(receiver, q, via);
          return Optional.of(view == null ? f.get() : f.get().substitute(bindings(info.get(), view)));
        }
      }
    }
    return Optional.empty();
  }

  /** The parameter types of the function a functional-interface type stands for. */
  public Optional<List<JType>> functionParameters(JType fi, FileContext via) {
    if (fi.kind() != JType.Kind.CLASS) {
      return Optional.empty();
    }
    Optional<TypeInfo> info = via != null ? via.lookup(fi.name()) : lookup(fi.name());
    if (info.isEmpty()) {
      return Optional.empty();
    }
    Optional<TypeInfo.MethodSig> sam = info.get().singleAbstractMethod();
    if (sam.isEmpty()) {
      return Optional.empty();
    }
    JType view = asSuper(fi, sam.get().declaringType(), via);
    Map<String, JType> b = Map.of();
    if (view != null) {
      Optional<TypeInfo> d = via != null ? via.lookup(sam.get().declaringType()) : lookup(sam.get().declaringType());
      if (d.isPresent()) {
        b = bindings(d.get(), view);
      }
    }
    Map<String, JType> fb = b;
    return Optional.of(sam.get().parameterTypes().stream().map(p -> p.substitute(fb)).toList());
  }
}
