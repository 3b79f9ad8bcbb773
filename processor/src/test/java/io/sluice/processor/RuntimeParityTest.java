package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.DiagnosticsTest.asJavacShowsIt;
import static io.sluice.processor.Fixtures.compile;
import static io.sluice.processor.Fixtures.fixtureSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import io.sluice.api.Dataset;
import io.sluice.api.Sluice;
import io.sluice.api.SluiceException;
import io.sluice.processor.fixtures.BrokenHaving;
import io.sluice.processor.fixtures.FirstVisitsUnbounded;
import io.sluice.processor.fixtures.PageAsNumber;
import io.sluice.processor.fixtures.PageShare;
import io.sluice.processor.fixtures.PageVisits;
import io.sluice.processor.fixtures.ShoutingQuery;
import io.sluice.processor.fixtures.StampedVisit;
import io.sluice.processor.fixtures.TypoInWhere;
import io.sluice.processor.fixtures.UntimedWatermark;
import io.sluice.processor.fixtures.UserNotGrouped;
import io.sluice.processor.fixtures.Visit;
import java.util.List;
import java.util.function.Consumer;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One catalogue of diagnostics: the same mistake reads the same at build time (javac, through the
 * processor) and at run time (a {@link SluiceException} from the public API). Each fixture in
 * {@code io.sluice.processor.fixtures} is run through the engine as a compiled class, and its very
 * source file is compiled with the processor.
 */
class RuntimeParityTest {
  private static Sluice engine;

  @BeforeAll
  static void startEngine() {
    engine = Sluice.create();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void unknownColumn() {
    String atRunTime = runTimeError(e -> visits(e).query(TypoInWhere.class));

    assertThat(atRunTime).isEqualTo("""
        [Sluice/UnknownColumn] column 'pgae' not found; available: user, page, ts \
        (did you mean 'page'?)
          pgae = '/home'
          ^^^^""");
    assertSameAtBuildTime(atRunTime, "TypoInWhere", "where =", "Visit");
  }

  @Test
  void typeMismatch() {
    String atRunTime = runTimeError(e -> visits(e).query(PageAsNumber.class));

    assertThat(atRunTime).startsWith("[Sluice/TypeMismatch] cannot apply '+' to 'page' (STRING)");
    assertSameAtBuildTime(atRunTime, "PageAsNumber", "select =", "Visit");
  }

  @Test
  void columnNeitherGroupedNorAggregated() {
    String atRunTime = runTimeError(e -> visits(e).query(UserNotGrouped.class));

    assertThat(atRunTime).isEqualTo("[Sluice/InvalidAggregate] column 'user' is neither grouped"
        + " nor inside an aggregate function; grouped by: [page]; input columns: user, page, ts");
    assertSameAtBuildTime(atRunTime, "UserNotGrouped", "\"user\",", "Visit");
  }

  @Test
  void parseErrorInHaving() {
    String atRunTime = runTimeError(e -> visits(e).query(BrokenHaving.class));

    assertThat(atRunTime).isEqualTo("""
        [Sluice/ParseError] cannot parse expression: expected an expression but found '>' at \
        position 9
          visits > > 10
                   ^""");
    assertSameAtBuildTime(atRunTime, "BrokenHaving", "having =", "Visit");
  }

  @Test
  void nonStaticSqlFunction() {
    String atRunTime = runTimeError(e -> visits(e).query(ShoutingQuery.class));

    assertThat(atRunTime).isEqualTo(
        "[Sluice/UnsupportedOperation] @SqlFunction ShoutingQuery.shout must be public and static");
    assertSameAtBuildTime(atRunTime, "ShoutingQuery", "@SqlFunction", "Visit");
  }

  @Test
  void unsupportedComponentType() {
    String atRunTime = runTimeError(e -> e.createDataset(List.of(), StampedVisit.class));

    assertThat(atRunTime).isEqualTo("[Sluice/InvalidEventType] cannot use"
        + " io.sluice.processor.fixtures.StampedVisit as an event type: component 'at' has type"
        + " java.util.Date; supported: long, int, double, boolean, their boxes, String,"
        + " java.time.Instant, byte[]");
    assertSameAtBuildTime(atRunTime, "StampedVisit", "public record StampedVisit");
  }

  @Test
  void intoRecordWithAColumnTheQueryDoesNotProduce() {
    String atRunTime = runTimeError(e -> visits(e).query(PageVisits.class, PageShare.class));

    assertThat(atRunTime).isEqualTo(
        "[Sluice/UnknownColumn] column 'share' not found; available: page, visits");
    assertSameAtBuildTime(atRunTime, "PageVisits", "into =", "Visit", "PageShare");
  }

  @Test
  void watermarkWithoutColumnOverATypeWithoutEventTime() {
    String atRunTime = runTimeError(e -> visits(e).query(UntimedWatermark.class));

    assertThat(atRunTime).isEqualTo("[Sluice/UnknownColumn] the watermark names no column and no"
        + " component of the 'from' type is marked @EventTime: name the event-time column in"
        + " @Watermark(column = ...), or mark it @EventTime; available: user, page, ts");
    assertSameAtBuildTime(atRunTime, "UntimedWatermark", "watermark =", "Visit");
  }

  @Test
  void dropDuplicatesWithinWatermarkWithoutWatermark() {
    String atRunTime = runTimeError(e -> visits(e).query(FirstVisitsUnbounded.class));

    assertThat(atRunTime).startsWith("[Sluice/UnsupportedOperation] dropDuplicatesWithinWatermark"
        + " needs a watermark");
    assertSameAtBuildTime(atRunTime, "FirstVisitsUnbounded", "dropDuplicatesWithinWatermark =",
        "Visit");
  }

  private static Dataset<Visit> visits(Sluice e) {
    return e.createDataset(List.of(new Visit("ann", "/home", 1L)), Visit.class);
  }

  private static String runTimeError(Consumer<Sluice> query) {
    return assertThrows(SluiceException.class, () -> query.accept(engine)).getMessage();
  }

  /** Compiles fixture {@code name} (and the others it needs): one error, same text, right line. */
  private static void assertSameAtBuildTime(String atRunTime, String name, String line,
      String... others) {
    JavaFileObject file = fixtureSource(name);
    JavaFileObject[] sources = new JavaFileObject[others.length + 1];
    sources[0] = file;
    for (int i = 0; i < others.length; i++) {
      sources[i + 1] = fixtureSource(others[i]);
    }
    Compilation compilation = compile(sources);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(asJavacShowsIt(atRunTime))
        .inFile(file).onLineContaining(line);
    assertThat(compilation.errors().get(0).getMessage(null)).isEqualTo(asJavacShowsIt(atRunTime));
  }
}
