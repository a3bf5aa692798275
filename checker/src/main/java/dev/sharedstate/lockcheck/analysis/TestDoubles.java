package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import dev.sharedstate.lockcheck.types.ExprTyper;
import java.util.Optional;
import java.util.Set;

/**
 * A call on a mocking library's test double runs no code of the real type (issue 12, family 5): a
 * Mockito or EasyMock mock's {@code flush()} or {@code get()} returns what was stubbed, at once. A
 * receiver is a double when it is a variable or field initialised with {@code mock(..)} (Mockito's,
 * EasyMock's {@code createMock}, {@code niceMock}, ...), or declared with {@code @Mock} / {@code @MockBean} /
 * {@code @MockitoBean}; and a call is stubbing or verifying, not calling, when its receiver is
 * {@code verify(m)}, {@code when(m)} of a {@code doReturn(..)} chain, {@code then(m).should()}, or when
 * it is written as the argument of {@code when(..)} / {@code given(..)}. A {@code spy(..)} runs the real
 * methods: it is not a double here. Only in files that name Mockito's or EasyMock's packages.
 */
final class TestDoubles {

  private static final Set<String> MOCK_FACTORIES = Set.of(
      "mock", "createMock", "createNiceMock", "createStrictMock", "niceMock", "strictMock", "mockStatic");
  private static final Set<String> MOCK_ANNOTATIONS = Set.of("Mock", "MockBean", "MockitoBean");
  /** Calls whose result is the mock in a verifying or stubbing mode. */
  private static final Set<String> VERIFYING = Set.of("verify", "should", "shouldHaveNoMoreInteractions");
  /** Calls whose argument is a call being stubbed, not made for its effect. */
  private static final Set<String> STUBBING = Set.of("when", "given", "expect", "expectLastCall");
  private static final Set<String> DO_CHAIN = Set.of(
      "doReturn", "doThrow", "doAnswer", "doNothing", "doCallRealMethod", "lenient");

  private TestDoubles() {}

  private static final java.util.List<String> MOCKING_PACKAGES = java.util.List.of("org.mockito", "org.easymock");

  static boolean onDouble(MethodCallExpr call, FileAnalysis fa) {
    if (!dev.sharedstate.lockcheck.blocking.LibraryGate.open(call, MOCKING_PACKAGES, java.util.List.of())) {
      return false; // a file that names no mocking library has no mocks
    }
    if (onDouble(call, fa.typer)) {
      return true;
    }
    // a field or local assigned mock(..) elsewhere (a @BeforeEach method): every value it may hold
    Optional<Expression> scope = call.getScope();
    if (scope.isEmpty() || !(scope.get() instanceof NameExpr || scope.get() instanceof FieldAccessExpr)) {
      return false;
    }
    var values = fa.origins.of(scope.get(), fa.typer, fa.file());
    return !values.isEmpty() && values.stream().allMatch(v -> isMockCall(v.expr()));
  }

  private static boolean onDouble(MethodCallExpr call, ExprTyper typer) {
    if (call.getParentNode().orElse(null) instanceof MethodCallExpr outer
        && STUBBING.contains(outer.getNameAsString()) && outer.getArguments().contains(call)) {
      return true;
    }
    Optional<Expression> scope = call.getScope();
    if (scope.isEmpty()) {
      return false;
    }
    Expression s = scope.get();
    while (s instanceof EnclosedExpr e) {
      s = e.getInner();
    }
    if (s instanceof MethodCallExpr m) {
      String name = m.getNameAsString();
      if (VERIFYING.contains(name)) {
        return true;
      }
      // doReturn(x).when(mock).get()
      return name.equals("when") && m.getScope().orElse(null) instanceof MethodCallExpr d
          && DO_CHAIN.contains(d.getNameAsString());
    }
    String variable = switch (s) {
      case NameExpr n -> n.getNameAsString();
      case FieldAccessExpr f when f.getScope() instanceof ThisExpr -> f.getNameAsString();
      default -> null;
    };
    if (variable == null) {
      return false;
    }
    Optional<ExprTyper.Decl> d = typer.declarationOf(variable, s);
    if (d.isEmpty()) {
      return false;
    }
    return switch (d.get()) {
      case ExprTyper.Decl.Variable v -> isMockCall(v.declarator().getInitializer().orElse(null))
          || annotated(v.declarator().getParentNode().orElse(null));
      case ExprTyper.Decl.Param p -> annotated(p.parameter());
      default -> false;
    };
  }

  private static boolean isMockCall(Expression init) {
    return init instanceof MethodCallExpr m && MOCK_FACTORIES.contains(m.getNameAsString());
  }

  private static boolean annotated(Node declaration) {
    if (declaration instanceof FieldDeclaration || declaration instanceof Parameter) {
      return ((NodeWithAnnotations<?>) declaration).getAnnotations().stream()
          .anyMatch(a -> MOCK_ANNOTATIONS.contains(a.getName().getIdentifier()));
    }
    return false;
  }
}
