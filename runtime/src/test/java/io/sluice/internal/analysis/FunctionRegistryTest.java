package io.sluice.internal.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sluice.api.DataType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

  private static Class<?> javaType(DataType type) {
    switch (type) {
      case BOOLEAN:
        return boolean.class;
      case INT:
        return int.class;
      case DOUBLE:
        return double.class;
      case STRING:
        return String.class;
      case BINARY:
        return byte[].class;
      default:
        return long.class;
    }
  }

  @Test
  void everyFunctionHasAPublicStaticMethodWithTheMappedJavaTypes() {
    for (String name : FunctionRegistry.names()) {
      for (ScalarFunction f : FunctionRegistry.overloads(name)) {
        Class<?>[] parameters = f.parameters().stream().map(FunctionRegistryTest::javaType)
            .toArray(Class<?>[]::new);
        assertThatCode(() -> io.sluice.internal.batch.SqlFunctions.class.getMethod(f.method(), parameters)).as(f.toString())
            .doesNotThrowAnyException();
        Method m = getMethod(f, parameters);
        assertThat(Modifier.isStatic(m.getModifiers())).as(f.toString()).isTrue();
        Class<?> expected = javaType(f.returnType());
        // A function that may return SQL NULL for non-null arguments returns the boxed type.
        if (f.nullResult()) {
          expected = java.lang.invoke.MethodType.methodType(expected).wrap().returnType();
        }
        assertThat(m.getReturnType()).as(f.toString()).isEqualTo(expected);
      }
    }
  }

  @Test
  void javaOverloadsNeverDifferOnlyByParameterTypes() {
    // Generated code passes literals like (1) for a BIGINT; distinct names keep that unambiguous.
    for (String name : FunctionRegistry.names()) {
      List<ScalarFunction> overloads = FunctionRegistry.overloads(name);
      for (ScalarFunction a : overloads) {
        for (ScalarFunction b : overloads) {
          boolean sameShape = a.method().equals(b.method())
              && a.parameters().size() == b.parameters().size();
          assertThat(!sameShape || a.equals(b)).as(a + " vs " + b).isTrue();
        }
      }
    }
  }

  @Test
  void aliasesShareTheCanonicalName() {
    assertThat(FunctionRegistry.overloads("substr")).isEqualTo(
        FunctionRegistry.overloads("substring"));
    assertThat(FunctionRegistry.overloads("power").get(0).name()).isEqualTo("pow");
  }

  @Test
  void resolutionPrefersTheNarrowestOverload() {
    List<ScalarFunction> abs = FunctionRegistry.overloads("abs");
    assertThat(FunctionRegistry.resolve(abs, List.of(DataType.INT)).orElseThrow().method())
        .isEqualTo("absInt");
    assertThat(FunctionRegistry.resolve(abs, List.of(DataType.NULL)).orElseThrow().method())
        .isEqualTo("absInt");
    assertThat(FunctionRegistry.resolve(abs, List.of(DataType.STRING))).isEmpty();
  }

  private static Method getMethod(ScalarFunction f, Class<?>[] parameters) {
    try {
      return io.sluice.internal.batch.SqlFunctions.class.getMethod(f.method(), parameters);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}
