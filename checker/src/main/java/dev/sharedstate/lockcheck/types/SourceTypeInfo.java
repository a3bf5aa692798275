package dev.sharedstate.lockcheck.types;

import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.TypeParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A class, interface, enum, record or anonymous class declared in the sources, read from its AST. */
public final class SourceTypeInfo implements TypeInfo {

  private final String name;
  private final Node decl;
  private final FileContext ctx;
  private volatile List<JType> supers;

  SourceTypeInfo(String name, Node decl, FileContext ctx) {
    this.name = name;
    this.decl = decl;
    this.ctx = ctx;
  }

  public Node declaration() {
    return decl;
  }

  /** The file context the type was read in (its imports resolve its members' types). */
  public FileContext context() {
    return ctx;
  }

  @Override
  public String qualifiedName() {
    return name;
  }

  @Override
  public boolean isInterface() {
    return decl instanceof ClassOrInterfaceDeclaration c && c.isInterface();
  }

  @Override
  public List<String> typeParameters() {
    NodeList<TypeParameter> tps = switch (decl) {
      case ClassOrInterfaceDeclaration c -> c.getTypeParameters();
      case RecordDeclaration r -> r.getTypeParameters();
      default -> new NodeList<>();
    };
    return tps.stream().map(TypeParameter::getNameAsString).toList();
  }

  @Override
  public List<JType> directSupertypes() {
    List<JType> s = supers;
    if (s == null) {
      List<JType> out = new ArrayList<>();
      switch (decl) {
        case ClassOrInterfaceDeclaration c -> {
          for (ClassOrInterfaceType t : c.getExtendedTypes()) {
            out.add(ctx.resolve(t));
          }
          for (ClassOrInterfaceType t : c.getImplementedTypes()) {
            out.add(ctx.resolve(t));
          }
          if (!c.isInterface() && c.getExtendedTypes().isEmpty()) {
            out.add(JType.of("java.lang.Object"));
          }
        }
        case EnumDeclaration e -> {
          out.add(JType.of("java.lang.Enum", List.of(JType.of(name))));
          for (ClassOrInterfaceType t : e.getImplementedTypes()) {
            out.add(ctx.resolve(t));
          }
        }
        case RecordDeclaration r -> {
          out.add(JType.of("java.lang.Record"));
          for (ClassOrInterfaceType t : r.getImplementedTypes()) {
            out.add(ctx.resolve(t));
          }
        }
        case ObjectCreationExpr o -> out.add(ctx.resolve(o.getType()));
        default -> out.add(JType.of("java.lang.Object"));
      }
      supers = s = List.copyOf(out);
    }
    return s;
  }

  private List<BodyDeclaration<?>> members() {
    if (decl instanceof TypeDeclaration<?> td) {
      return td.getMembers();
    }
    if (decl instanceof ObjectCreationExpr o && o.getAnonymousClassBody().isPresent()) {
      return o.getAnonymousClassBody().get();
    }
    return List.of();
  }

  /** Members by name, built once: classes with tens of thousands of members stay linear. */
  private record Index(
      Map<String, VariableDeclarator> fields,
      Map<String, List<MethodDeclaration>> methods,
      Map<String, TypeDeclaration<?>> memberTypes) {}

  private volatile Index index;

  private Index index() {
    Index i = index;
    if (i == null) {
      Map<String, VariableDeclarator> fields = new HashMap<>();
      Map<String, List<MethodDeclaration>> methods = new HashMap<>();
      Map<String, TypeDeclaration<?>> types = new HashMap<>();
      for (BodyDeclaration<?> m : members()) {
        if (m instanceof FieldDeclaration f) {
          for (VariableDeclarator v : f.getVariables()) {
            fields.putIfAbsent(v.getNameAsString(), v);
          }
        } else if (m instanceof MethodDeclaration md) {
          methods.computeIfAbsent(md.getNameAsString(), k -> new ArrayList<>()).add(md);
        } else if (m instanceof TypeDeclaration<?> t) {
          types.putIfAbsent(t.getNameAsString(), t);
        }
      }
      index = i = new Index(fields, methods, types);
    }
    return i;
  }

  /** The member type (nested class, interface, enum, record) named {@code name}, if declared here. */
  public Optional<TypeDeclaration<?>> memberType(String name) {
    return Optional.ofNullable(index().memberTypes().get(name));
  }

  @Override
  public Optional<JType> fieldType(String field) {
    VariableDeclarator v = index().fields().get(field);
    if (v != null) {
      return Optional.of(ctx.resolve(v.getType()));
    }
    if (decl instanceof RecordDeclaration r) {
      for (Parameter p : r.getParameters()) {
        if (p.getNameAsString().equals(field)) {
          return Optional.of(ctx.resolve(p.getType()));
        }
      }
    }
    if (decl instanceof EnumDeclaration e) {
      for (EnumConstantDeclaration c : e.getEntries()) {
        if (c.getNameAsString().equals(field)) {
          return Optional.of(JType.of(name));
        }
      }
    }
    return Optional.empty();
  }

  /** The field's declaration in this type, for alias and condition tracking. */
  public Optional<VariableDeclarator> fieldDeclarator(String field) {
    return Optional.ofNullable(index().fields().get(field));
  }

  @Override
  public List<MethodSig> methods(String method) {
    List<MethodSig> out = new ArrayList<>();
    for (MethodDeclaration md : index().methods().getOrDefault(method, List.of())) {
      out.add(sig(md));
    }
    if (decl instanceof RecordDeclaration r) {
      for (Parameter p : r.getParameters()) {
        if (p.getNameAsString().equals(method) && out.stream().noneMatch(s -> s.parameterTypes().isEmpty())) {
          out.add(new MethodSig(name, method, List.of(), false, false, false, ctx.resolve(p.getType())));
        }
      }
    }
    return out;
  }

  /** Method declarations named {@code method} in this type (for method-reference bodies). */
  public List<MethodDeclaration> methodDeclarations(String method) {
    return List.copyOf(index().methods().getOrDefault(method, List.of()));
  }

  private MethodSig sig(MethodDeclaration md) {
    List<JType> params = md.getParameters().stream().map(p -> {
      JType t = ctx.resolve(p.getType());
      return p.isVarArgs() ? t.withDims(t.dims() + 1) : t;
    }).toList();
    boolean varArgs = !md.getParameters().isEmpty() && md.getParameters().getLast().get().isVarArgs();
    boolean abstractMethod = md.getBody().isEmpty() && !md.isStatic() && !md.isDefault()
        && !md.hasModifier(Modifier.Keyword.NATIVE);
    return new MethodSig(name, md.getNameAsString(), params, varArgs, md.isStatic(), abstractMethod, ctx.resolve(md.getType()));
  }

  @Override
  public Optional<MethodSig> singleAbstractMethod() {
    if (!isInterface()) {
      return Optional.empty();
    }
    MethodSig found = null;
    for (BodyDeclaration<?> m : members()) {
      if (m instanceof MethodDeclaration md && md.getBody().isEmpty() && !md.isStatic() && !md.isDefault()) {
        String n = md.getNameAsString();
        if (n.equals("equals") || n.equals("hashCode") || n.equals("toString")) {
          continue;
        }
        if (found != null) {
          return Optional.empty();
        }
        found = sig(md);
      }
    }
    if (found == null) {
      for (JType s : directSupertypes()) {
        if (s.kind() == JType.Kind.CLASS && !s.name().equals("java.lang.Object")) {
          Optional<MethodSig> inherited = ctx.universe().functionParameters(s, ctx).isPresent()
              ? ctx.lookup(s.name()).flatMap(TypeInfo::singleAbstractMethod) : Optional.empty();
          if (inherited.isPresent()) {
            return inherited;
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }
}
