package dev.sharedstate.lockcheck.types;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Types from the running JDK and from {@code --classpath} jars, read by reflection. Classes are
 * loaded without being initialised (no static initialiser of a user's jar ever runs), through a loader
 * whose parent is the platform loader, so lockcheck's own dependencies never answer for the user's.
 * This is what JavaParser's {@code ReflectionTypeSolver} does, done lazily: a class is looked up only
 * when a candidate call needs it.
 */
public final class LibraryTypes {

  private final ClassLoader loader;
  private final ConcurrentHashMap<String, Optional<TypeInfo>> cache = new ConcurrentHashMap<>();

  public LibraryTypes(List<Path> classpath) {
    if (classpath.isEmpty()) {
      this.loader = ClassLoader.getPlatformClassLoader();
    } else {
      URL[] urls = classpath.stream().map(LibraryTypes::url).toArray(URL[]::new);
      this.loader = new URLClassLoader("lockcheck-classpath", urls, ClassLoader.getPlatformClassLoader());
    }
  }

  private static URL url(Path p) {
    try {
      return p.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a usable class path entry: " + p, e);
    }
  }

  /** The type with this qualified name (nested types joined with dots), if the class path has it. */
  public Optional<TypeInfo> lookup(String qualifiedName) {
    Optional<TypeInfo> hit = cache.get(qualifiedName);
    if (hit != null) {
      return hit;
    }
    Optional<TypeInfo> found = load(qualifiedName).map(ReflectedType::new);
    Optional<TypeInfo> prev = cache.putIfAbsent(qualifiedName, found);
    return prev != null ? prev : found;
  }

  private Optional<Class<?>> load(String qualifiedName) {
    if (qualifiedName.isEmpty() || qualifiedName.indexOf('.') < 0) {
      return Optional.empty();
    }
    String binary = qualifiedName;
    while (true) {
      try {
        return Optional.of(Class.forName(binary, false, loader));
      } catch (ClassNotFoundException | LinkageError | SecurityException e) {
        int dot = binary.lastIndexOf('.');
        if (dot < 0) {
          return Optional.empty();
        }
        // a.b.Outer.Inner is a.b.Outer$Inner in binary form; only try where a nested name is plausible
        String before = binary.substring(0, dot);
        int prevDot = before.lastIndexOf('.');
        String segment = before.substring(prevDot + 1);
        if (segment.isEmpty() || !Character.isUpperCase(segment.charAt(0))) {
          return Optional.empty();
        }
        binary = before + "$" + binary.substring(dot + 1);
      }
    }
  }

  /** True for a type of the running JDK (a module of its run-time image), false for a class-path jar's. */
  public static boolean isJdkType(TypeInfo t) {
    return t instanceof ReflectedType r && r.fromJdk;
  }

  static JType toJType(Type t) {
    if (t instanceof Class<?> c) {
      int dims = 0;
      while (c.isArray()) {
        dims++;
        c = c.getComponentType();
      }
      JType base = c.isPrimitive() ? JType.primitive(c.getName()) : JType.of(c.getCanonicalName() != null ? c.getCanonicalName() : c.getName());
      return dims == 0 ? base : base.withDims(dims);
    }
    if (t instanceof ParameterizedType p) {
      JType raw = toJType(p.getRawType());
      List<JType> args = Arrays.stream(p.getActualTypeArguments()).map(LibraryTypes::toJType).toList();
      return JType.of(raw.name(), args);
    }
    if (t instanceof TypeVariable<?> v) {
      return JType.typeVar(v.getName());
    }
    if (t instanceof WildcardType w) {
      // ? super T: a function taking it is given a T; ? extends T: it yields a T
      Type[] lower = w.getLowerBounds();
      if (lower.length > 0) {
        return toJType(lower[0]);
      }
      Type[] upper = w.getUpperBounds();
      return upper.length > 0 && upper[0] != Object.class ? toJType(upper[0]) : JType.UNKNOWN;
    }
    if (t instanceof GenericArrayType g) {
      JType c = toJType(g.getGenericComponentType());
      return c.withDims(c.dims() + 1);
    }
    return JType.UNKNOWN;
  }

  private static final class ReflectedType implements TypeInfo {
    private final Class<?> type;
    private volatile List<JType> supers;
    // reflection answers, misses included: a miss costs a NoSuchFieldException, and getMethods() copies
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<JType>> fields =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, List<MethodSig>> methodsByName =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final boolean fromJdk;

    ReflectedType(Class<?> type) {
      this.type = type;
      // the run-time image's modules, whatever loader defines them (jdk.jdi's is the application loader)
      Module m = type.getModule();
      this.fromJdk = m.isNamed() && m.getLayer() == ModuleLayer.boot();
    }

    @Override
    public String qualifiedName() {
      String n = type.getCanonicalName();
      return n != null ? n : type.getName();
    }

    @Override
    public boolean isInterface() {
      return type.isInterface();
    }

    @Override
    public List<String> typeParameters() {
      return Arrays.stream(type.getTypeParameters()).map(TypeVariable::getName).toList();
    }

    @Override
    public List<JType> directSupertypes() {
      List<JType> s = supers;
      if (s == null) {
        List<JType> out = new ArrayList<>();
        try {
          Type sup = type.getGenericSuperclass();
          if (sup != null) {
            out.add(toJType(sup));
          }
          for (Type i : type.getGenericInterfaces()) {
            out.add(toJType(i));
          }
          if (type.isInterface()) {
            out.add(JType.of("java.lang.Object"));
          }
        } catch (LinkageError | RuntimeException e) {
          // a class path entry missing a supertype: keep what is known
        }
        supers = s = List.copyOf(out);
      }
      return s;
    }

    @Override
    public Optional<JType> fieldType(String name) {
      Optional<JType> known = fields.get(name);
      if (known == null) {
        known = reflectFieldType(name);
        fields.putIfAbsent(name, known);
      }
      return known;
    }

    private Optional<JType> reflectFieldType(String name) {
      try {
        return Optional.of(toJType(type.getDeclaredField(name).getGenericType()));
      } catch (NoSuchFieldException | LinkageError | RuntimeException e) {
        return Optional.empty();
      }
    }

    @Override
    public List<MethodSig> methods(String name) {
      List<MethodSig> known = methodsByName.get(name);
      if (known == null) {
        known = List.copyOf(reflectMethods(name));
        methodsByName.putIfAbsent(name, known);
      }
      return known;
    }

    private List<MethodSig> reflectMethods(String name) {
      List<MethodSig> out = new ArrayList<>();
      try {
        for (Method m : type.getMethods()) {
          if (m.getName().equals(name) && !m.isBridge() && !m.isSynthetic()) {
            out.add(sig(m));
          }
        }
        if (out.isEmpty()) {
          for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && !m.isSynthetic()) {
              out.add(sig(m));
            }
          }
        }
      } catch (LinkageError | RuntimeException e) {
        // unresolvable signatures in a partial class path: nothing known
      }
      return out;
    }

    @Override
    public Optional<MethodSig> singleAbstractMethod() {
      if (!type.isInterface()) {
        return Optional.empty();
      }
      MethodSig found = null;
      try {
        for (Method m : type.getMethods()) {
          if (!Modifier.isAbstract(m.getModifiers()) || isObjectMethod(m)) {
            continue;
          }
          if (found != null && !found.name().equals(m.getName())) {
            return Optional.empty();
          }
          found = sig(m);
        }
      } catch (LinkageError | RuntimeException e) {
        return Optional.empty();
      }
      return Optional.ofNullable(found);
    }

    private static boolean isObjectMethod(Method m) {
      try {
        Object.class.getMethod(m.getName(), m.getParameterTypes());
        return true;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }

    private static MethodSig sig(Method m) {
      Class<?> d = m.getDeclaringClass();
      String declaring = d.getCanonicalName() != null ? d.getCanonicalName() : d.getName();
      return new MethodSig(
          declaring,
          m.getName(),
          Arrays.stream(m.getGenericParameterTypes()).map(LibraryTypes::toJType).toList(),
          m.isVarArgs(),
          Modifier.isStatic(m.getModifiers()),
          Modifier.isAbstract(m.getModifiers()),
          toJType(m.getGenericReturnType()));
    }
  }
}
