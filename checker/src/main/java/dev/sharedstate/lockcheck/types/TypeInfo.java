package dev.sharedstate.lockcheck.types;

import java.util.List;
import java.util.Optional;

/** What lockcheck needs to know about one class or interface, from source or from the class path. */
public interface TypeInfo {

  /** The qualified (canonical) name, nested types joined with dots. */
  String qualifiedName();

  boolean isInterface();

  /** The names of the type's own type parameters, in order. */
  List<String> typeParameters();

  /** Superclass and superinterfaces, in terms of this type's own type parameters. */
  List<JType> directSupertypes();

  /** The declared type of the field {@code name} declared in this type itself, if any. */
  Optional<JType> fieldType(String name);

  /** Methods named {@code name} declared in this type, or for class-path types, all public ones. */
  List<MethodSig> methods(String name);

  /** For a functional interface, its single abstract method (inherited ones included where known). */
  Optional<MethodSig> singleAbstractMethod();

  /** A method's shape: declaring type, arity, parameter and return types (type variables kept). */
  record MethodSig(
      String declaringType,
      String name,
      List<JType> parameterTypes,
      boolean varArgs,
      boolean isStatic,
      boolean isAbstract,
      JType returnType) {

    public boolean accepts(int argCount) {
      int n = parameterTypes.size();
      return varArgs ? argCount >= n - 1 : argCount == n;
    }
  }
}
