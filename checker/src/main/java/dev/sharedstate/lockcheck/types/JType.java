package dev.sharedstate.lockcheck.types;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A static type as lockcheck sees it: deliberately small. A {@link Kind#CLASS} names a type that was
 * found (in the sources or on the class path) by its qualified name; an {@link Kind#UNRESOLVED} one
 * keeps the name as written in the source, which the matcher may still use (see the rule's Known
 * problems); {@link Kind#UNKNOWN} means nothing is known.
 */
public record JType(Kind kind, String name, List<JType> args, int dims) {

  /** What is known about the type. */
  public enum Kind {
    CLASS,
    UNRESOLVED,
    TYPEVAR,
    PRIMITIVE,
    UNKNOWN
  }

  public static final JType UNKNOWN = new JType(Kind.UNKNOWN, "?", List.of(), 0);

  public JType {
    args = List.copyOf(args);
  }

  public static JType of(String qualifiedName, List<JType> args) {
    return new JType(Kind.CLASS, qualifiedName, args, 0);
  }

  public static JType of(String qualifiedName) {
    return new JType(Kind.CLASS, qualifiedName, List.of(), 0);
  }

  public static JType unresolved(String nameAsWritten) {
    return new JType(Kind.UNRESOLVED, nameAsWritten, List.of(), 0);
  }

  public static JType typeVar(String name) {
    return new JType(Kind.TYPEVAR, name, List.of(), 0);
  }

  public static JType primitive(String name) {
    return new JType(Kind.PRIMITIVE, name, List.of(), 0);
  }

  public boolean isKnownClass() {
    return kind == Kind.CLASS && dims == 0;
  }

  public boolean isUnknown() {
    return kind == Kind.UNKNOWN;
  }

  public JType withDims(int d) {
    return new JType(kind, name, args, d);
  }

  /** The element type of an array type (this type with one dimension less). */
  public JType component() {
    return dims > 0 ? new JType(kind, name, args, dims - 1) : UNKNOWN;
  }

  public String simpleName() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  /** Replaces type variables by their bindings; unbound variables become {@link #UNKNOWN}. */
  public JType substitute(Map<String, JType> bindings) {
    return switch (kind) {
      case TYPEVAR -> {
        JType b = bindings.get(name);
        if (b == null) {
          yield UNKNOWN;
        }
        yield dims == 0 ? b : b.withDims(b.dims + dims);
      }
      case CLASS -> args.isEmpty() ? this
          : new JType(kind, name, args.stream().map(a -> a.substitute(bindings)).toList(), dims);
      default -> this;
    };
  }

  @Override
  public String toString() {
    String base = args.isEmpty() ? name
        : name + args.stream().map(JType::toString).collect(Collectors.joining(", ", "<", ">"));
    return base + "[]".repeat(dims);
  }
}
