package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.CLICK;
import static io.sluice.processor.Fixtures.compile;
import static io.sluice.processor.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor never throws at javac: odd input is an error on the element or value concerned,
 * a bad class does not stop the others, and a class naming a type that another processor
 * generates later is compiled once that type exists.
 */
class RobustnessTest {
  @Test
  void badQueryDoesNotStopTheOthers() {
    JavaFileObject bad = source("shop.Bad", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(from = Click.class, select = "pgae")
        public interface Bad {}
        """);
    JavaFileObject good = source("shop.Good", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(from = Click.class, select = "page")
        public interface Good {}
        """);
    RecordingProcessor processor = new RecordingProcessor();

    Compilation compilation = Compiler.javac().withProcessors(processor).compile(bad, CLICK, good);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Sluice/UnknownColumn] column 'pgae' not found")
        .inFile(bad).onLineContaining("@StreamQuery");
    assertThat(processor.createdSources())
        .containsExactlyInAnyOrder("shop.Click_", "shop.Click_Codec", "shop.Good_Stage1",
            "shop.Good_Query");
  }

  @Test
  void queryOnAnEnumIsJustAHolder() {
    Compilation compilation = compile(CLICK, source("shop.Modes", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(from = Click.class, select = "page")
        public enum Modes { ON, OFF }
        """));

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("shop.Modes_Query").isNotNull();
  }

  @Test
  void fromNamingAnInterface() {
    JavaFileObject query = source("shop.Tasks", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Runnable.class,
            select = "page")
        public interface Tasks {}
        """);

    Compilation compilation = compile(query);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Sluice/InvalidEventType] cannot use"
        + " java.lang.Runnable as an event type: it must be a Java record or a Kotlin data class")
        .inFile(query).onLineContaining("from =");
  }

  @Test
  void fromNamingAPrimitiveOrAnArray() {
    JavaFileObject query = source("shop.Numbers", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        public final class Numbers {
          @StreamQuery(
              from = int.class,
              select = "value")
          public interface Ints {}

          @StreamQuery(
              from = String[].class,
              select = "value")
          public interface Strings {}
        }
        """);

    Compilation compilation = compile(query);

    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[Sluice/InvalidEventType] cannot use int as an"
        + " event type: it must be a Java record or a Kotlin data class")
        .inFile(query).onLineContaining("from = int.class");
    assertThat(compilation).hadErrorContaining("[Sluice/InvalidEventType] cannot use"
        + " java.lang.String[] as an event type: it must be a Java record or a Kotlin data class")
        .inFile(query).onLineContaining("from = String[].class");
  }

  @Test
  void eventOnAClassThatIsNotARecord() {
    JavaFileObject event = source("shop.Level", """
        package shop;

        import io.sluice.annotations.Event;

        @Event
        public enum Level { LOW, HIGH }
        """);

    Compilation compilation = compile(event);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Sluice/InvalidEventType] cannot use shop.Level"
        + " as an event type: it must be a Java record or a Kotlin data class")
        .inFile(event).onLineContaining("public enum Level");
  }

  @Test
  void fromNamingAClassThatDoesNotExist() {
    JavaFileObject query = source("shop.Ghosts", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Ghost.class,
            select = "page")
        public interface Ghosts {}
        """);

    Compilation compilation = compile(query);

    // javac's own error, and one from the processor saying why nothing was generated.
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("cannot find symbol")
        .inFile(query).onLineContaining("from = Ghost.class");
    assertThat(compilation).hadErrorContaining("[Sluice/CodeGeneration] cannot generate code for"
        + " shop.Ghosts: the class in 'from' was never found (if another annotation processor"
        + " generates it, look for its errors)")
        .inFile(query).onLineContaining("public interface Ghosts");
  }

  @Test
  void errorsFoundBeforeAMissingTypeAreReportedOnceWhenItExists() {
    JavaFileObject query = source("shop.Pings", """
        package shop;

        import io.sluice.annotations.SqlFunction;
        import io.sluice.annotations.StreamQuery;

        @StreamQuery(from = Click.class, select = "page")
        public class Pings {
          @SqlFunction public boolean local(String s) {
            return true;
          }

          @SqlFunction public static boolean fromHost(Ping ping, String host) {
            return true;
          }
        }
        """);
    JavaFileObject event = source("shop.Sample", """
        package shop;

        import io.sluice.annotations.Event;

        @Event
        public record Sample(Ping ping, long ts) {}
        """);

    Compilation compilation = Compiler.javac()
        .withProcessors(new PingWriter(), new SluiceProcessor())
        .compile(CLICK, query, event);

    // Round 1 found the first error, then met Ping (not written yet) and tried again in round 2.
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[Sluice/UnsupportedOperation] @SqlFunction"
        + " Pings.local must be public and static")
        .inFile(query).onLineContaining("public boolean local");
    assertThat(compilation).hadErrorContaining("[Sluice/UnsupportedOperation] function 'fromHost'"
        + " (Pings.fromHost) cannot take shop.Ping as a parameter")
        .inFile(query).onLineContaining("fromHost(Ping ping");
    assertThat(compilation).hadErrorContaining("[Sluice/InvalidEventType] cannot use shop.Sample"
        + " as an event type: component 'ping' has type shop.Ping")
        .inFile(event).onLineContaining("public record Sample");
  }

  @Test
  void queryOverAnEventTypeGeneratedByAnotherProcessorIsCompiledInTheNextRound() {
    JavaFileObject query = source("shop.PingTimes", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Ping.class,
            where = "ms > 100",
            select = {"host", "ms"})
        public interface PingTimes {}
        """);

    Compilation compilation = Compiler.javac()
        .withProcessors(new PingWriter(), new SluiceProcessor())
        .compile(query);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("shop.Ping_").isNotNull();
    assertThat(compilation).generatedSourceFile("shop.PingTimes_Stage1").isNotNull();
    assertThat(compilation).generatedSourceFile("shop.PingTimes_Query").contentsAsUtf8String()
        .contains("public static Dataset<Row> over(Dataset<Ping> input) {");
  }

  /** Stands for another processor: writes the {@code @Event} record shop.Ping in round 1. */
  static final class PingWriter extends AbstractProcessor {
    private boolean written;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (written) {
        return false;
      }
      written = true;
      try (Writer out = processingEnv.getFiler().createSourceFile("shop.Ping").openWriter()) {
        out.write("""
            package shop;

            @io.sluice.annotations.Event
            public record Ping(String host, long ms) {}
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false;
    }
  }
}
