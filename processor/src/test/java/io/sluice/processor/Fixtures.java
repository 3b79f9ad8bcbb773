package io.sluice.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.net.MalformedURLException;
import java.nio.file.Path;
import javax.tools.JavaFileObject;

/**
 * Fixture sources and the compiler that builds them: javac with the real {@link SluiceProcessor},
 * as a build would run it, on the test's class path (annotations and runtime).
 */
final class Fixtures {
  private Fixtures() {}

  /** javac with the processor. */
  static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new SluiceProcessor()).compile(sources);
  }

  /** A source file named after its fully qualified top-level class, e.g. {@code shop.Click}. */
  static JavaFileObject source(String className, String text) {
    return JavaFileObjects.forSourceString(className, text);
  }

  /**
   * A class of {@code src/test/java/io/sluice/processor/fixtures}, as source: the same file the
   * run-time tests load as a class, so that both paths read the very same annotation.
   */
  static JavaFileObject fixtureSource(String simpleName) {
    Path file = Path.of(System.getProperty("basedir", "."), "src", "test", "java", "io", "sluice",
        "processor", "fixtures", simpleName + ".java");
    try {
      return JavaFileObjects.forResource(file.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event type most fixtures read: one click on a web shop page. */
  static final JavaFileObject CLICK = source("shop.Click", """
      package shop;

      import io.sluice.annotations.Event;
      import io.sluice.annotations.EventTime;

      @Event
      public record Click(String user, String page, @EventTime long ts) {}
      """);

  /** An event type with a component of every supported type, primitive and nullable. */
  static final JavaFileObject READING = source("shop.Reading", """
      package shop;

      import io.sluice.annotations.Event;
      import io.sluice.annotations.EventTime;
      import java.time.Instant;

      @Event
      public record Reading(
          long id, int channel, double value, boolean valid,
          Long batch, Integer sensor, Double calibrated, Boolean checked,
          String unit, @EventTime Instant at) {}
      """);

  /** An event type nested in a class: its generated classes start {@code Devices_Heartbeat_}. */
  static final JavaFileObject DEVICES = source("shop.Devices", """
      package shop;

      import io.sluice.annotations.Event;

      public final class Devices {
        private Devices() {}

        @Event
        public record Heartbeat(String device, long ts) {}
      }
      """);

  /** A message whose payload is bytes, Spark's BINARY. */
  static final JavaFileObject PACKET = source("shop.Packet", """
      package shop;

      import io.sluice.annotations.Event;

      @Event
      public record Packet(String topic, byte[] payload) {}
      """);

  /** An order line: numbers of every kind, one of them nullable, for aggregates. */
  static final JavaFileObject ORDER = source("shop.Order", """
      package shop;

      import io.sluice.annotations.Event;

      @Event
      public record Order(String customer, String product, int quantity, double price,
          Long discountCents, long ts) {}
      """);

  /** Stateless: a filter and a projection over clicks. */
  static final JavaFileObject PRODUCT_VIEWS = source("shop.ProductViews", """
      package shop;

      import io.sluice.annotations.StreamQuery;

      @StreamQuery(
          from = Click.class,
          where = "user != 'bot' AND page LIKE '/product/%'",
          select = {"user", "substring(page, 10) AS product", "ts / 1000 AS seconds"})
      public interface ProductViews {}
      """);

  /** Grouped: every aggregate function, count(DISTINCT), and a having clause. */
  static final JavaFileObject PRODUCT_SALES = source("shop.ProductSales", """
      package shop;

      import io.sluice.annotations.StreamQuery;

      @StreamQuery(
          from = Order.class,
          where = "quantity > 0",
          groupBy = "product",
          select = {
            "product",
            "count(*) AS orders",
            "sum(quantity) AS units",
            "avg(price) AS avgPrice",
            "min(price) AS cheapest",
            "max(discountCents) AS maxDiscount",
            "count(DISTINCT customer) AS customers"
          },
          having = "orders > 1 AND units >= 10")
      public interface ProductSales {}
      """);

  /** Two {@code @SqlFunction}s, one renamed, called from where, groupBy and select. */
  static final JavaFileObject SECTIONS = source("shop.Sections", """
      package shop;

      import io.sluice.annotations.SqlFunction;
      import io.sluice.annotations.StreamQuery;

      @StreamQuery(
          from = Click.class,
          where = "isHuman(user)",
          groupBy = "section(page)",
          select = {"section(page) AS section", "count(*) AS views"},
          name = "section-views")
      public final class Sections {
        private Sections() {}

        @SqlFunction
        public static String section(String page) {
          int slash = page.indexOf('/', 1);
          return slash < 0 ? page : page.substring(0, slash);
        }

        @SqlFunction(name = "isHuman")
        public static boolean notABot(String user) {
          return !user.startsWith("bot");
        }
      }
      """);

  /** The output record of {@link #PAGE_COUNTS}. */
  static final JavaFileObject PAGE_COUNT = source("shop.PageCount", """
      package shop;

      public record PageCount(String page, long views) {}
      """);

  /** A query whose rows are read into a record ({@code into}). */
  static final JavaFileObject PAGE_COUNTS = source("shop.PageCounts", """
      package shop;

      import io.sluice.annotations.StreamQuery;

      @StreamQuery(
          from = Click.class,
          groupBy = "page",
          select = {"page", "count(*) AS views"},
          into = PageCount.class)
      public interface PageCounts {}
      """);

  /**
   * Event time: a watermark on the column {@code Click} marks {@code @EventTime}, ten-second
   * windows per page, each read by its start.
   */
  static final JavaFileObject VIEWS_PER_WINDOW = source("shop.ViewsPerWindow", """
      package shop;

      import io.sluice.annotations.StreamQuery;
      import io.sluice.annotations.Watermark;

      @StreamQuery(
          from = Click.class,
          watermark = @Watermark(delay = "5 seconds"),
          where = "user != 'bot7'",
          groupBy = {"window(ts, '10 seconds')", "page"},
          select = {"window.start AS start", "page", "count(*) AS views"})
      public interface ViewsPerWindow {}
      """);

  /** Deduplication before an aggregation: the pages where each user first landed. */
  static final JavaFileObject LANDING_PAGES = source("shop.LandingPages", """
      package shop;

      import io.sluice.annotations.StreamQuery;

      @StreamQuery(
          from = Click.class,
          dropDuplicates = "user",
          groupBy = "page",
          select = {"page", "count(*) AS newcomers"})
      public interface LandingPages {}
      """);
}
