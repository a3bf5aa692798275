package dev.sharedstate.lockcheck.types;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.TypeParameter;
import com.github.javaparser.ast.type.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Name resolution inside one compilation unit, in the order the JLS gives: type parameters and types
 * in scope (nested, local, the file's own), single-type imports, the same package, on-demand imports,
 * then {@code java.lang}. Types the file declares (including local and anonymous classes) are answered
 * from the file itself, without a second parse.
 */
public final class FileContext {

  private final CompilationUnit cu;
  private final TypeUniverse universe;
  private final String pkg;
  private final Map<String, String> singleImports = new HashMap<>();
  private final List<String> onDemand = new ArrayList<>();
  private final Map<String, String> staticSingle = new HashMap<>();
  private final List<String> staticOnDemand = new ArrayList<>();
  private final ConcurrentHashMap<String, JType> byName = new ConcurrentHashMap<>();
  private final Map<Node, SourceTypeInfo> infos = new IdentityHashMap<>();
  private final Map<String, SourceTypeInfo> ownTypes = new ConcurrentHashMap<>();
  private final Map<String, SourceTypeInfo> localTypes = new ConcurrentHashMap<>();
  private volatile boolean ownIndexed;

  public FileContext(CompilationUnit cu, TypeUniverse universe) {
    this.cu = cu;
    this.universe = universe;
    this.pkg = cu.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
    for (ImportDeclaration i : cu.getImports()) {
      String n = i.getNameAsString();
      if (i.isStatic()) {
        if (i.isAsterisk()) {
          staticOnDemand.add(n);
        } else {
          int dot = n.lastIndexOf('.');
          if (dot > 0) {
            staticSingle.put(n.substring(dot + 1), n.substring(0, dot));
          }
        }
      } else if (i.isAsterisk()) {
        onDemand.add(n);
      } else if (!i.isModule()) {
        singleImports.put(n.substring(n.lastIndexOf('.') + 1), n);
      }
    }
  }

  public TypeUniverse universe() {
    return universe;
  }

  public CompilationUnit compilationUnit() {
    return cu;
  }

  public String packageName() {
    return pkg;
  }

  /** The owner type of a static import of {@code member}, if any. */
  public Optional<String> staticImportOwner(String member) {
    return Optional.ofNullable(staticSingle.get(member));
  }

  /** Types of {@code import static T.*;}. */
  public List<String> staticOnDemandOwners() {
    return staticOnDemand;
  }

  /** A type by qualified name: this file's own (also local and anonymous ones) first, then the universe. */
  public Optional<TypeInfo> lookup(String qualifiedName) {
    SourceTypeInfo local = localTypes.get(qualifiedName);
    if (local != null) {
      return Optional.of(local);
    }
    indexOwnTypes();
    SourceTypeInfo own = ownTypes.get(qualifiedName);
    if (own != null) {
      return Optional.of(own);
    }
    return universe.lookup(qualifiedName);
  }

  boolean isLocalType(String qualifiedName) {
    return localTypes.containsKey(qualifiedName);
  }

  private void indexOwnTypes() {
    if (ownIndexed) {
      return;
    }
    synchronized (this) {
      if (!ownIndexed) {
        for (TypeDeclaration<?> td : cu.findAll(TypeDeclaration.class, t -> t.getFullyQualifiedName().isPresent())) {
          ownTypes.put(td.getFullyQualifiedName().get(), typeInfo(td));
        }
        ownIndexed = true;
      }
    }
  }

  /** The type info of a declaration of this file (memoised). */
  public synchronized SourceTypeInfo typeInfo(Node declaration) {
    SourceTypeInfo t = infos.get(declaration);
    if (t == null) {
      String name = qualifiedName(declaration);
      t = new SourceTypeInfo(name, declaration, this);
      infos.put(declaration, t);
      if (!(declaration instanceof TypeDeclaration<?> td) || td.getFullyQualifiedName().isEmpty()) {
        localTypes.put(name, t);
      }
    }
    return t;
  }

  /** The qualified name of a type declared here; local and anonymous classes get a synthetic one. */
  public String qualifiedName(Node declaration) {
    if (declaration instanceof TypeDeclaration<?> td && td.getFullyQualifiedName().isPresent()) {
      return td.getFullyQualifiedName().get();
    }
    String base = declaration instanceof TypeDeclaration<?> td ? td.getNameAsString() : "anonymous";
    int line = declaration.getBegin().map(p -> p.line).orElse(0);
    int col = declaration.getBegin().map(p -> p.column).orElse(0);
    return (pkg.isEmpty() ? "" : pkg + ".") + "<local>" + base + "@" + line + ":" + col;
  }

  /** Resolves a type as written at {@code t}'s position. */
  public JType resolve(Type t) {
    if (t instanceof PrimitiveType p) {
      return JType.primitive(p.asString());
    }
    if (t instanceof ArrayType a) {
      JType c = resolve(a.getComponentType());
      return c.withDims(c.dims() + 1);
    }
    if (t instanceof WildcardType w) {
      if (w.getSuperType().isPresent()) {
        return resolve(w.getSuperType().get());
      }
      return w.getExtendedType().map(this::resolve).orElse(JType.UNKNOWN);
    }
    if (t instanceof ClassOrInterfaceType c) {
      List<JType> args = c.getTypeArguments().map(as -> as.stream().map(this::resolve).toList()).orElse(List.of());
      JType base;
      if (c.getScope().isPresent()) {
        JType scope = resolve(c.getScope().get());
        String nested = scope.name() + "." + c.getNameAsString();
        if (scope.kind() == JType.Kind.CLASS && lookup(nested).isPresent()) {
          base = JType.of(nested);
        } else {
          String written = c.getNameWithScope();
          base = lookup(written).isPresent() ? JType.of(written) : JType.unresolved(written);
        }
      } else {
        base = resolveName(c.getNameAsString(), c);
      }
      if (base.kind() == JType.Kind.CLASS && !args.isEmpty()) {
        return JType.of(base.name(), args);
      }
      return base;
    }
    return JType.UNKNOWN; // var, union and intersection types: the caller decides
  }

  /** Type-variable bounds being resolved on this thread, nested (contexts are shared by threads). */
  private static final ThreadLocal<int[]> BOUND_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** Resolves a simple type name as seen from {@code context}. */
  public JType resolveName(String name, Node context) {
    for (Node a = context; a != null; a = a.getParentNode().orElse(null)) {
      if (a instanceof NodeWithTypeParameters<?> wtp) {
        for (TypeParameter tp : wtp.getTypeParameters()) {
          if (tp.getNameAsString().equals(name)) {
            int[] depth = BOUND_DEPTH.get();
            // a recursive bound (<S extends Species<T, S>.Data>) would resolve itself forever
            if (tp.getTypeBound().isNonEmpty() && depth[0] < 4) {
              depth[0]++;
              try {
                return resolve(tp.getTypeBound().get(0));
              } finally {
                depth[0]--;
              }
            }
            return JType.typeVar(name);
          }
        }
      }
      if (a instanceof TypeDeclaration<?> td) {
        if (td.getNameAsString().equals(name)) {
          return JType.of(qualifiedName(td));
        }
        Optional<TypeDeclaration<?>> inner = typeInfo(td).memberType(name);
        if (inner.isPresent()) {
          return JType.of(qualifiedName(inner.get()));
        }
      }
      if (a instanceof BlockStmt b) {
        for (Statement s : b.getStatements()) {
          if (s instanceof LocalClassDeclarationStmt lc && lc.getClassDeclaration().getNameAsString().equals(name)) {
            typeInfo(lc.getClassDeclaration());
            return JType.of(qualifiedName(lc.getClassDeclaration()));
          }
          if (s instanceof LocalRecordDeclarationStmt lr && lr.getRecordDeclaration().getNameAsString().equals(name)) {
            typeInfo(lr.getRecordDeclaration());
            return JType.of(qualifiedName(lr.getRecordDeclaration()));
          }
        }
      }
      if (a instanceof ObjectCreationExpr oce && oce.getAnonymousClassBody().isPresent()) {
        for (var m : oce.getAnonymousClassBody().get()) {
          if (m instanceof TypeDeclaration<?> inner && inner.getNameAsString().equals(name)) {
            return JType.of(qualifiedName(inner));
          }
        }
      }
      if (a instanceof CompilationUnit c) {
        for (TypeDeclaration<?> td : c.getTypes()) {
          if (td.getNameAsString().equals(name)) {
            return JType.of(qualifiedName(td));
          }
        }
      }
    }
    JType hit = byName.get(name);
    if (hit == null) {
      hit = resolveByImports(name);
      byName.putIfAbsent(name, hit);
    }
    return hit;
  }

  private JType resolveByImports(String name) {
    if (name.indexOf('.') > 0) {
      int dot = name.indexOf('.');
      JType first = resolveName(name.substring(0, dot), cu);
      String candidate = first.kind() == JType.Kind.CLASS ? first.name() + name.substring(dot) : name;
      return lookup(candidate).isPresent() ? JType.of(candidate) : JType.unresolved(name);
    }
    String single = singleImports.get(name);
    if (single != null) {
      return lookup(single).isPresent() ? JType.of(single) : JType.unresolved(single);
    }
    String samePackage = pkg.isEmpty() ? name : pkg + "." + name;
    if (lookup(samePackage).isPresent()) {
      return JType.of(samePackage);
    }
    for (String p : onDemand) {
      String q = p + "." + name;
      if (lookup(q).isPresent()) {
        return JType.of(q);
      }
    }
    String lang = "java.lang." + name;
    if (lookup(lang).isPresent()) {
      return JType.of(lang);
    }
    return JType.unresolved(name);
  }
}
