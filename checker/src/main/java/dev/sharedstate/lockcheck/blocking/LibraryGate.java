package dev.sharedstate.lockcheck.blocking;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.DataKey;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a file can use a library at all: a library unit's entries (and every {@code *} entry) are
 * tried only on calls in files that name one of the unit's packages (an import, the file's own
 * package, or a qualified type name) or a type ending with one of its name patterns
 * ({@code *BlockingStub}). Without it, a catalogue entry for a common name ({@code get}, {@code close},
 * and every name for a wildcard) would make lockcheck resolve the receiver's whole type hierarchy at
 * every call under a lock in every file, whatever libraries the code uses (the JDK's 15,000 files then
 * outgrow the 1 GB heap). The price: a call on a library type in a file that never names the library
 * (a value passed through a {@code var} from a helper in another file) is not recognised.
 */
public final class LibraryGate {

  private static final DataKey<Mentions> MENTIONS = new DataKey<>() {};

  /** What a file names: its package, its imports, and the types it writes (simple and qualified). */
  private record Mentions(Set<String> qualified, Set<String> simple) {}

  private LibraryGate() {}

  /**
   * True when the file of {@code call} names one of {@code packages} or a type whose simple name ends
   * with one of {@code suffixes}; true as well when the call is in no compilation unit.
   */
  public static boolean open(Node call, List<String> packages, List<String> suffixes) {
    if (packages.isEmpty() && suffixes.isEmpty()) {
      return true;
    }
    CompilationUnit cu = call.findCompilationUnit().orElse(null);
    if (cu == null) {
      return true;
    }
    Mentions m = mentions(cu);
    for (String q : m.qualified()) {
      for (String p : packages) {
        if (q.startsWith(p) && (q.length() == p.length() || q.charAt(p.length()) == '.')) {
          return true;
        }
      }
    }
    for (String s : m.simple()) {
      for (String suffix : suffixes) {
        if (s.endsWith(suffix)) {
          return true;
        }
      }
    }
    return false;
  }

  private static final DataKey<Set<String>> VAR_LOCALS = new DataKey<>() {};

  /** Whether the file of {@code n} declares a local named {@code name} with {@code var} (cached per file). */
  public static boolean mayBeVarLocal(Node n, String name) {
    CompilationUnit cu = n.findCompilationUnit().orElse(null);
    if (cu == null) {
      return true;
    }
    Set<String> names;
    synchronized (cu) {
      if (!cu.containsData(VAR_LOCALS)) {
        Set<String> found = new HashSet<>();
        for (com.github.javaparser.ast.body.VariableDeclarator d : cu.findAll(com.github.javaparser.ast.body.VariableDeclarator.class)) {
          if (d.getType().isVarType()) {
            found.add(d.getNameAsString());
          }
        }
        cu.setData(VAR_LOCALS, Set.copyOf(found));
      }
      names = cu.getData(VAR_LOCALS);
    }
    return names.contains(name);
  }

  private static Mentions mentions(CompilationUnit cu) {
    if (cu.containsData(MENTIONS)) {
      return cu.getData(MENTIONS);
    }
    Set<String> qualified = new HashSet<>();
    Set<String> simple = new HashSet<>();
    cu.getPackageDeclaration().ifPresent(p -> qualified.add(p.getNameAsString()));
    for (ImportDeclaration i : cu.getImports()) {
      qualified.add(i.getNameAsString());
    }
    for (ClassOrInterfaceType t : cu.findAll(ClassOrInterfaceType.class)) {
      simple.add(t.getNameAsString());
      if (t.getScope().isPresent()) {
        qualified.add(t.getNameWithScope());
      }
    }
    Mentions m = new Mentions(Set.copyOf(qualified), Set.copyOf(simple));
    synchronized (cu) {
      if (!cu.containsData(MENTIONS)) {
        cu.setData(MENTIONS, m);
      }
    }
    return m;
  }
}
