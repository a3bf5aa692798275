package dev.sharedstate.lockcheck.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.stmt.BlockStmt;
import dev.sharedstate.lockcheck.analysis.Prefilter;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SkeletonTest {

  private static Skeleton.Result blank(String text) {
    return Skeleton.blank(text, Prefilter.lockToken(Set.of()));
  }

  /** The statements left in the body of the method or constructor called {@code name}. */
  private static int statements(CompilationUnit cu, String name) {
    return cu.findAll(CallableDeclaration.class, d -> d.getNameAsString().equals(name)).stream()
        .mapToInt(d -> switch (d) {
          case MethodDeclaration m -> m.getBody().map(BlockStmt::getStatements).map(l -> l.size()).orElse(0);
          case ConstructorDeclaration c -> c.getBody().getStatements().size();
          default -> 0;
        }).sum();
  }

  private static CompilationUnit parse(Skeleton.Result r) {
    var p = Parsers.parse(r.text());
    assertTrue(p.isSuccessful(), p.getProblems() + "\n" + r.text());
    return p.getResult().orElseThrow();
  }

  @Test
  void bodiesThatCannotMatterAreBlankedKeepingLinesAndColumns() {
    String text = """
        class A {
          private final Object lock = new Object();
          int unrelated(int x) {
            int y = x * 2; // a comment
            return y + "}".length();
          }
          void locked(Thread t) throws InterruptedException {
            synchronized (lock) { t.join(); }
          }
        }
        """;
    Skeleton.Result r = blank(text);
    assertEquals(text.length(), r.text().length());
    assertEquals(text.lines().count(), r.text().lines().count());
    assertEquals(text.indexOf("void locked"), r.text().indexOf("void locked"), "what follows stays in place");
    assertEquals(2, r.bodies());
    assertEquals(1, r.keptBodies());
    CompilationUnit cu = parse(r);
    assertEquals(0, statements(cu, "unrelated"));
    assertEquals(1, statements(cu, "locked"));
    assertEquals(8, cu.findFirst(MethodDeclaration.class, m -> m.getNameAsString().equals("locked")).orElseThrow()
        .getBody().orElseThrow().getStatement(0).getBegin().orElseThrow().line, "positions hold");
  }

  @Test
  void synchronizedMethodsAndWhatKeptCodeCallsAreKeptToAFixedPoint() {
    String text = """
        import java.util.List;
        class A {
          static final Runnable R = () -> fromField();
          static { fromInitializer(); }
          synchronized void s() { helper(); list.forEach(this::viaReference); new B(); }
          void helper() { deeper(); }
          void deeper() { Thread.sleep(1); }
          void viaReference(Object o) { o.wait(); }
          static void fromField() { x(); }
          static void fromInitializer() { x(); }
          void unused() { x(); }
          public void close() { x(); }
          static class B extends Base { B() { x(); } void other() { x(); } }
          static class Base { Base() { x(); } }
          static class Unused { Unused() { x(); } }
        }
        """;
    CompilationUnit cu = parse(blank(text));
    for (String kept : new String[] {"s", "helper", "deeper", "viaReference", "fromField", "fromInitializer", "close", "B",
        "Base"}) {
      assertTrue(statements(cu, kept) > 0, kept + " is kept");
    }
    assertEquals(0, statements(cu, "unused"));
    assertEquals(0, statements(cu, "other"));
    assertEquals(0, statements(cu, "Unused"), "a class's own name is not a use of its constructors");
  }

  @Test
  void fieldInitialisersEnumsRecordsAndAnnotationsAreNeverBlanked() {
    String text = """
        @interface Tags { String[] value() default {}; }
        enum E {
          A(1) { @Override int f() { return 1; } },
          B(2);
          private final int v;
          E(int v) { this.v = v; }
          int f() { return v; }
        }
        record R(int a) {
          R { if (a < 0) throw new IllegalArgumentException(); }
          synchronized int twice() { return a * 2; }
        }
        class C {
          int[] table = {1, 2, 3};
          Runnable r = new Runnable() { public void run() { lock.lock(); } };
          @Tags({"a", "b"}) void m() { int unused = 0; }
        }
        """;
    Skeleton.Result r = blank(text);
    CompilationUnit cu = parse(r);
    assertEquals(1, statements(cu, "twice"));
    assertEquals(1, statements(cu, "run"), "an anonymous class in a field initialiser is kept whole");
    assertEquals(0, statements(cu, "m"));
    assertEquals(0, statements(cu, "R"), "a compact constructor is a body like any other");
    assertTrue(cu.findAll(com.github.javaparser.ast.expr.ArrayInitializerExpr.class).stream()
        .anyMatch(a -> a.getValues().size() == 3), "the field's array initialiser");
    assertEquals(2, cu.findAll(com.github.javaparser.ast.body.EnumConstantDeclaration.class).size());
    assertEquals(1, cu.findAll(com.github.javaparser.ast.body.EnumConstantDeclaration.class).get(0).getClassBody().size());
  }

  @Test
  void whatTheScannerCannotFollowIsLeftAlone() {
    for (String text : new String[] {
        "class A { void m() { x(); } void \\u006d2() { } }",   // a unicode escape
        "class A { void m() { x(); }",                         // unbalanced
        "class A { void m() { String s = \"open; } }",         // unterminated literal
        "class A { void m() { x(); } } }",
    }) {
      Skeleton.Result r = blank(text);
      assertSame(text, r.text(), text);
      assertFalse(r.blankedAny());
    }
  }
}
