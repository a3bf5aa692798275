package dev.sharedstate.lockcheck.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.type.VarType;
import org.junit.jupiter.api.Test;

class ParsersTest {

  private static final String MODERN = """
      package p;
      import java.util.List;
      sealed interface Shape permits Circle, Square {}
      record Circle(double r) implements Shape {}
      record Square(double s) implements Shape {}
      class Uses {
        Object lock = new Object();
        double area(Shape s) {
          var l = List.of(1, 2);
          return switch (s) {
            case Circle c when c.r() > 0 -> { synchronized (lock) { yield Math.PI * c.r() * c.r(); } }
            case Circle c -> 0;
            case Square q -> { double a = q.s() * q.s(); yield a; }
          };
        }
        String text() { return \"""
            a text block with "quotes"
            \"""; }
      }
      """;

  @Test
  void modernSyntaxParsesToTheSameTreeAsWithValidation() {
    ParseResult<CompilationUnit> ours = Parsers.parse(MODERN);
    ParseResult<CompilationUnit> validated = new JavaParser(Parsers.validatingConfiguration()).parse(MODERN);
    assertTrue(ours.isSuccessful(), ours.getProblems().toString());
    assertTrue(validated.isSuccessful(), validated.getProblems().toString());
    assertEquals(validated.getResult().orElseThrow(), ours.getResult().orElseThrow());
  }

  @Test
  void varIsPostProcessedIntoAVarType() {
    CompilationUnit cu = Parsers.parse("class A { void m() { var x = 1; } }").getResult().orElseThrow();
    VariableDeclarator v = cu.findFirst(VariableDeclarator.class).orElseThrow();
    assertTrue(v.getType() instanceof VarType, v.getType().getClass().toString());
  }

  @Test
  void theValidationPassIsSkipped() {
    // a class extending two classes: the grammar takes it, only the validator rejects it
    String twoSupers = "class A extends B, C { }";
    assertFalse(new JavaParser(Parsers.validatingConfiguration()).parse(twoSupers).isSuccessful());
    assertTrue(Parsers.parse(twoSupers).isSuccessful(), "lockcheck's parser does not validate");
  }

  @Test
  void syntaxErrorsAreStillReported() {
    assertFalse(Parsers.parse("class A { void m() { int x = ; } }").isSuccessful());
  }

  @Test
  void aLocalEnumBecomesALocalClassOfTheSameLength() {
    String text = "class A {\n  enum Member { X }\n  void m() {\n    enum Local implements Runnable {\n      ONE,\n"
        + "      TWO { public void run() {} };\n      public void run() {}\n    }\n    Runnable r = new Runnable() {\n"
        + "      enum InAnonymous { Y }\n      public void run() {}\n    };\n  }\n}\n";
    String rewritten = LocalEnums.asClasses(text);
    assertEquals(text.length(), rewritten.length());
    assertEquals(text.lines().count(), rewritten.lines().count());
    assertTrue(rewritten.contains("   class Local implements Runnable {\n" + " ".repeat(10) + "\n" + " ".repeat(35) + "\n"
        + "      public void run() {}"), "constants blanked up to their `;`, newlines kept: " + rewritten);
    assertTrue(rewritten.contains("  enum Member { X }"), "a member enum stays: " + rewritten);
    assertTrue(rewritten.contains("enum InAnonymous { Y }"), "so does one in an anonymous class's body: " + rewritten);
    assertTrue(Parsers.parse(text).isSuccessful(), "parsed through the rewrite");
    assertEquals(null, LocalEnums.asClasses("class A { void m() { Object enum1 = null; } }"));
  }
}
