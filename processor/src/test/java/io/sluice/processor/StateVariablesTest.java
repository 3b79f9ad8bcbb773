package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.DiagnosticsTest.assertOnlyError;
import static io.sluice.processor.Fixtures.compile;
import static io.sluice.processor.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.sluice.api.StatefulProcessorHandle;
import io.sluice.api.TTLConfig;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.codehaus.janino.SimpleCompiler;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code @StateVariables}: the processor writes {@code <Interface>_Variables}, which declares each
 * variable once through the handle (javac and Janino compile it alike), and reports every mistake
 * in the interface on the element at fault.
 */
class StateVariablesTest {
  /** A state record: public, components of column types. */
  static final JavaFileObject PAYMENT = source("shop.Payment", """
      package shop;

      public record Payment(String merchant, long cents, String country) {}
      """);

  /** Three variables, two with a TTL, one renamed; a default method is left alone. */
  static final JavaFileObject CARD_STATE = source("shop.CardState", """
      package shop;

      import io.sluice.annotations.StateVariable;
      import io.sluice.annotations.StateVariables;
      import io.sluice.annotations.Ttl;
      import io.sluice.api.ListState;
      import io.sluice.api.MapState;
      import io.sluice.api.ValueState;

      @StateVariables
      public interface CardState {
        @Ttl("10 minutes") ListState<Payment> recent();

        @Ttl("1 hour") @StateVariable(name = "country") ValueState<String> lastCountry();

        MapState<String, Long> perMerchant();

        default boolean seenBefore() {
          return lastCountry().exists();
        }
      }
      """);

  /** Every scalar state type, other TTL units, and a package-private nested interface. */
  static final JavaFileObject LIMITS = source("shop.Fraud", """
      package shop;

      import io.sluice.annotations.StateVariables;
      import io.sluice.annotations.Ttl;
      import io.sluice.api.ListState;
      import io.sluice.api.MapState;
      import io.sluice.api.ValueState;
      import java.time.Instant;

      final class Fraud {
        private Fraud() {}

        @StateVariables
        interface Limits {
          @Ttl("interval 2 days") ValueState<Long> spent();

          @Ttl("90 seconds") ValueState<Double> ratio();

          @Ttl("1500 milliseconds") ListState<Instant> attempts();

          MapState<Integer, Boolean> blockedHours();
        }
      }
      """);

  @Test
  void stateVariablesClasses(TestInfo test) {
    Compilation compilation = compile(PAYMENT, CARD_STATE, LIMITS);

    assertThat(compilation).succeededWithoutWarnings();
    Goldens.assertMatch(test.getTestMethod().orElseThrow().getName(), compilation);
  }

  @Test
  void declareCallsTheHandleOnceForEachVariableAndTheMethodsReturnThem() throws Exception {
    Compilation compilation = compile(PAYMENT, CARD_STATE);
    assertThat(compilation).succeededWithoutWarnings();

    assertDeclaresCardState(new CompiledClasses(compilation));
  }

  @Test
  void theGeneratedClassCompilesWithJaninoAndWorksTheSame() throws Exception {
    Compilation compilation = compile(PAYMENT, CARD_STATE);
    assertThat(compilation).succeededWithoutWarnings();
    String source = Goldens.generatedSources(compilation).get("shop/CardState_Variables.java");
    ClassLoader fixtures = new CompiledClasses(compilation, name -> !name.endsWith("_Variables"));

    SimpleCompiler janino = new SimpleCompiler();
    janino.setTargetVersion(8);
    janino.setParentClassLoader(fixtures);
    janino.cook("CardState_Variables.java", source);

    assertDeclaresCardState(janino.getClassLoader());
  }

  /** {@code CardState_Variables.declare} as {@code loader} defines it, with a recording handle. */
  private static void assertDeclaresCardState(ClassLoader loader) throws Exception {
    Class<?> generated = loader.loadClass("shop.CardState_Variables");
    Class<?> cardState = loader.loadClass("shop.CardState");
    Class<?> payment = loader.loadClass("shop.Payment");
    assertThat(generated.getClassLoader()).isSameAs(loader);
    RecordingHandle handle = new RecordingHandle();

    Object state = generated.getMethod("declare", StatefulProcessorHandle.class)
        .invoke(null, handle.proxy());

    assertThat(cardState.isInstance(state)).isTrue();
    assertThat(handle.calls).containsExactly(
        List.of("getListState", "recent", payment, new TTLConfig(Duration.ofMinutes(10))),
        List.of("getValueState", "country", String.class, new TTLConfig(Duration.ofHours(1))),
        List.of("getMapState", "perMerchant", String.class, Long.class, TTLConfig.NONE));
    for (String method : List.of("recent", "lastCountry", "perMerchant")) {
      Object variable = cardState.getMethod(method).invoke(state);
      assertThat(variable).as(method).isSameAs(handle.declared.get(method))
          .isSameAs(cardState.getMethod(method).invoke(state));
    }
  }

  /** A handle that records each declaration and returns a new stand-in variable for it. */
  private static final class RecordingHandle implements InvocationHandler {
    final List<List<Object>> calls = new ArrayList<>();
    /** By the name of the method that returns the variable, as in {@code CARD_STATE}. */
    final Map<String, Object> declared = new java.util.HashMap<>();

    StatefulProcessorHandle proxy() {
      return (StatefulProcessorHandle) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {StatefulProcessorHandle.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      List<Object> call = new ArrayList<>();
      call.add(method.getName());
      call.addAll(Arrays.asList(args));
      calls.add(call);
      Object variable = Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {method.getReturnType()}, (p, m, a) -> {
            throw new UnsupportedOperationException(m.getName());
          });
      String name = (String) args[0];
      declared.put(name.equals("country") ? "lastCountry" : name, variable);
      return variable;
    }
  }

  @Test
  void inheritedVariablesAreDeclaredTooAndADefaultMethodOverridingOneIsLeftAlone() {
    JavaFileObject renamed = source("shop.RenamedCardState", """
        package shop;

        import io.sluice.annotations.StateVariable;
        import io.sluice.annotations.StateVariables;
        import io.sluice.annotations.Ttl;
        import io.sluice.api.ValueState;

        @StateVariables
        public interface RenamedCardState extends CardState {
          @Ttl("1 hour") @StateVariable(name = "country") ValueState<String> previousCountry();

          @Override
          default ValueState<String> lastCountry() {
            return previousCountry();
          }
        }
        """);

    Compilation compilation = compile(PAYMENT, CARD_STATE, renamed);

    assertThat(compilation).succeededWithoutWarnings();
    String source = Goldens.generatedSources(compilation)
        .get("shop/RenamedCardState_Variables.java");
    assertThat(source.lines().map(String::strip).filter(l -> l.startsWith("this.")))
        .containsExactlyInAnyOrder(
            "this.previousCountry = handle.getValueState(\"country\", String.class,",
            "this.recent = handle.getListState(\"recent\", Payment.class,",
            "this.perMerchant = handle.getMapState(\"perMerchant\", String.class, Long.class,"
                + " TTLConfig.NONE);");
    assertThat(source).doesNotContain("lastCountry");
  }

  @Test
  void anInterfaceNamingATypeAnotherProcessorWritesIsWrittenInTheNextRound() {
    JavaFileObject pings = source("shop.PingState", """
        package shop;

        import io.sluice.annotations.StateVariables;
        import io.sluice.api.ValueState;

        @StateVariables
        public interface PingState {
          ValueState<Ping> last();
        }
        """);

    Compilation compilation = Compiler.javac()
        .withProcessors(new RobustnessTest.PingWriter(), new SluiceProcessor())
        .compile(pings);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("shop.PingState_Variables").contentsAsUtf8String()
        .contains("this.last = handle.getValueState(\"last\", Ping.class, TTLConfig.NONE);");
  }

  @Test
  void aBadInterfaceDoesNotStopTheOthersAndEveryBadMethodIsReported() {
    JavaFileObject bad = source("shop.Bad", """
        package shop;

        import io.sluice.annotations.StateVariables;
        import io.sluice.api.ValueState;

        @StateVariables
        public interface Bad {
          ValueState<String> first(String key);

          java.util.List<String> second();
        }
        """);

    RecordingProcessor processor = new RecordingProcessor();

    Compilation compilation = Compiler.javac().withProcessors(processor)
        .compile(bad, PAYMENT, CARD_STATE);

    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("Bad.first() must take no parameters")
        .inFile(bad).onLineContaining("first(String key)");
    assertThat(compilation).hadErrorContaining("Bad.second() must return a ValueState")
        .inFile(bad).onLineContaining("second()");
    assertThat(processor.createdSources()).containsExactly("shop.CardState_Variables");
  }

  /** One interface per test, each with one mistake: the whole message and its line. */
  @Nested
  class Diagnostics {
    /** {@code shop.Cards} with {@code body} inside {@code @StateVariables interface Cards}. */
    private JavaFileObject cards(String body) {
      return source("shop.Cards", """
          package shop;

          import io.sluice.annotations.StateVariable;
          import io.sluice.annotations.StateVariables;
          import io.sluice.annotations.Ttl;
          import io.sluice.api.ListState;
          import io.sluice.api.MapState;
          import io.sluice.api.ValueState;

          @StateVariables
          public interface Cards {
          %s
          }
          """.formatted(body.indent(2).stripTrailing()));
    }

    private void assertOnlyErrorIn(String body, String message, String line) {
      JavaFileObject cards = cards(body);
      assertOnlyError(compile(PAYMENT, cards), message, cards, line);
    }

    @Test
    void aMethodWithParameters() {
      assertOnlyErrorIn("ValueState<String> country(String card);",
          "[Sluice/UnsupportedOperation] @StateVariables method Cards.country() must take no"
              + " parameters: it returns the variable it declares",
          "country(String card)");
    }

    @Test
    void aGenericMethod() {
      assertOnlyErrorIn("<T> ValueState<T> country();",
          "[Sluice/UnsupportedOperation] @StateVariables method Cards.country() must not have"
              + " type parameters: a variable's types are fixed",
          "country()");
    }

    @Test
    void aResultThatIsNotAStateVariable() {
      assertOnlyErrorIn("java.util.List<Payment> recent();",
          "[Sluice/UnsupportedOperation] @StateVariables method Cards.recent() must return a"
              + " ValueState, ListState or MapState, not java.util.List<shop.Payment>",
          "recent()");
    }

    @Test
    void aRawStateType() {
      assertOnlyErrorIn("@SuppressWarnings(\"rawtypes\") MapState perMerchant();",
          "[Sluice/UnsupportedOperation] @StateVariables method Cards.perMerchant() returns a"
              + " raw MapState; give its type arguments, e.g. MapState<String, Long>",
          "perMerchant()");
    }

    @Test
    void aWildcardTypeArgument() {
      assertOnlyErrorIn("ListState<? extends Payment> recent();",
          "[Sluice/UnsupportedOperation] @StateVariables method Cards.recent() returns"
              + " io.sluice.api.ListState<? extends shop.Payment>: a type argument must be the"
              + " type the variable holds, not a wildcard",
          "recent()");
    }

    @Test
    void aTypeArgumentThatIsNoStateType() {
      assertOnlyErrorIn("MapState<String, java.util.UUID> cards();",
          "[Sluice/InvalidEventType] state variable 'cards' of shop.Cards cannot hold"
              + " java.util.UUID: a state type is String, Long, Integer, Double, Boolean,"
              + " java.time.Instant, byte[], or a public record (or Kotlin data class) whose"
              + " components are long, int, double, boolean, their boxes, String,"
              + " java.time.Instant, byte[]",
          "cards()");
    }

    @Test
    void aRecordThatIsNotPublic() {
      JavaFileObject secret = source("shop.Secret", """
          package shop;

          record Secret(String pin) {}
          """);
      JavaFileObject cards = cards("ListState<Secret> secrets();");

      assertOnlyError(compile(secret, cards), "[Sluice/InvalidEventType] state variable"
          + " 'secrets' of shop.Cards cannot hold shop.Secret: cannot use shop.Secret as an event"
          + " type: it must be public, and so must any class it is nested in, so that generated"
          + " code can read it", cards, "secrets()");
    }

    @Test
    void aTypeArgumentThatIsAnInterfaceOrGeneric() {
      assertOnlyErrorIn("ValueState<java.util.List<String>> merchants();",
          "[Sluice/InvalidEventType] state variable 'merchants' of shop.Cards cannot hold"
              + " java.util.List<java.lang.String>: a state type is String, Long, Integer,"
              + " Double, Boolean, java.time.Instant, byte[], or a public record (or Kotlin data"
              + " class) whose components are long, int, double, boolean, their boxes, String,"
              + " java.time.Instant, byte[]",
          "merchants()");
    }

    @Test
    void aRecordWithAComponentOfAnUnsupportedType() {
      JavaFileObject basket = source("shop.Basket", """
          package shop;

          public record Basket(String card, java.util.List<String> items) {}
          """);
      JavaFileObject cards = cards("ValueState<Basket> basket();");

      assertOnlyError(compile(basket, cards), "[Sluice/InvalidEventType] state variable 'basket'"
          + " of shop.Cards cannot hold shop.Basket: cannot use shop.Basket as an event type:"
          + " component 'items' has type java.util.List; supported: long, int, double, boolean,"
          + " their boxes, String, java.time.Instant, byte[]", cards, "basket()");
    }

    @Test
    void aTtlThatIsNoInterval() {
      assertOnlyErrorIn("@Ttl(\"ten minutes\") ListState<Payment> recent();",
          "[Sluice/WrongArguments] invalid @Ttl of state variable 'recent': 'ten minutes' is"
              + " not an interval; write it like '10 seconds' or '1 hour 30 minutes', with units"
              + " millisecond, second, minute, hour, day or week",
          "@Ttl(\"ten minutes\")");
    }

    @Test
    void aTtlInMonths() {
      assertOnlyErrorIn("@StateVariable(name = \"recent\") @Ttl(\"1 month\")\n"
              + "ListState<Payment> lastPayments();",
          "[Sluice/WrongArguments] invalid @Ttl of state variable 'recent': '1 month' is not an"
              + " interval; write it like '10 seconds' or '1 hour 30 minutes', with units"
              + " millisecond, second, minute, hour, day or week (months and years have no fixed"
              + " length; use days instead)",
          "@Ttl(\"1 month\")");
    }

    @Test
    void aTtlOfZero() {
      assertOnlyErrorIn("@Ttl(\"0 seconds\") ValueState<String> country();",
          "[Sluice/WrongArguments] the @Ttl of state variable 'country' (0 seconds) must be"
              + " positive; without @Ttl values stay until cleared",
          "@Ttl(\"0 seconds\")");
    }

    @Test
    void twoMethodsNamingTheSameVariable() {
      assertOnlyErrorIn("ValueState<String> country();\n\n"
              + "@StateVariable(name = \"country\")\nValueState<String> lastCountry();",
          "[Sluice/UnsupportedOperation] state variable 'country' of shop.Cards is declared by"
              + " both country() and lastCountry(); each method needs a name of its own (see"
              + " @StateVariable)",
          "@StateVariable(name = \"country\")");
    }

    @Test
    void aTtlOnADefaultMethod() {
      assertOnlyErrorIn("""
          ValueState<String> country();

          @Ttl("1 hour")
          default ValueState<String> lastCountry() {
            return country();
          }""",
          "[Sluice/UnsupportedOperation] @Ttl on method Cards.lastCountry() does nothing: only"
              + " the abstract methods of a @StateVariables interface declare variables",
          "@Ttl(\"1 hour\")");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "public abstract class Cards {} | a class",
        "public record Cards(String country) {} | a record",
        "public enum Cards { VISA } | an enum",
        "public @interface Cards {} | an annotation type"})
    void somethingOtherThanAnInterface(String declaration, String kind) {
      JavaFileObject cards = source("shop.Cards", """
          package shop;

          import io.sluice.annotations.StateVariables;

          @StateVariables
          %s
          """.formatted(declaration));

      assertOnlyError(compile(cards), "[Sluice/UnsupportedOperation] @StateVariables must be on"
          + " an interface, and shop.Cards is " + kind, cards, "@StateVariables");
    }

    @Test
    void aGenericInterface() {
      JavaFileObject cards = source("shop.Cards", """
          package shop;

          import io.sluice.annotations.StateVariables;
          import io.sluice.api.ValueState;

          @StateVariables
          public interface Cards<T> {
            ValueState<String> country();
          }
          """);

      assertOnlyError(compile(cards), "[Sluice/UnsupportedOperation] @StateVariables interface"
          + " shop.Cards must not have type parameters: a state variable's types are fixed",
          cards, "@StateVariables");
    }

    @Test
    void aPrivateInterface() {
      JavaFileObject cards = source("shop.Cards", """
          package shop;

          import io.sluice.annotations.StateVariables;
          import io.sluice.api.ValueState;

          public final class Cards {
            @StateVariables
            private interface State {
              ValueState<String> country();
            }
          }
          """);

      assertOnlyError(compile(cards), "[Sluice/UnsupportedOperation] @StateVariables interface"
          + " shop.Cards.State must not be private, nor nested in a private class: the class"
          + " generated for it implements it", cards, "@StateVariables");
    }
  }
}
