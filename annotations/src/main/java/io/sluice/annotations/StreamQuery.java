package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a whole query on one class or interface, checked and compiled at build time by the
 * Sluice annotation processor. Read it as SQL: {@code SELECT select FROM from WHERE where GROUP BY
 * groupBy HAVING having}.
 *
 * <pre>{@code
 * @StreamQuery(
 *     from = Click.class,
 *     where = "user != 'bot'",
 *     groupBy = "page",
 *     select = {"page", "count(*) AS views", "count(DISTINCT user) AS users"})
 * interface PageViews {}
 *
 * Dataset<Row> views = clicks.query(PageViews.class);
 * }</pre>
 *
 * <p>Event time works as in the fluent API: the input's {@link #watermark} comes first, then
 * {@link #where}, then {@link #dropDuplicates}, then grouping. A window key is named {@code
 * window} (or {@code session_window}) in {@link #select}, as in Spark:
 *
 * <pre>{@code
 * @StreamQuery(
 *     from = Click.class,
 *     watermark = @Watermark(column = "ts", delay = "10 seconds"),
 *     groupBy = {"window(ts, '1 minute')", "page"},
 *     select = {"window.start AS minute", "page", "count(*) AS views"})
 * interface ViewsPerMinute {}
 * }</pre>
 *
 * <p>Expression strings use the engine's expression language; a wrong column, type or aggregate
 * is a javac error on this annotation, in the same words as at run time. Public static methods of
 * the class marked {@link SqlFunction} can be called from the expressions. The processor generates
 * the query's stage classes, so the query starts without compiling anything.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StreamQuery {
  /** The event type of the input rows: a record or Kotlin data class. */
  Class<?> from();

  /** The watermark of the input rows, before {@link #where}; none by default. */
  Watermark watermark() default @Watermark(delay = "");

  /** A condition on input rows; empty keeps every row. */
  String where() default "";

  /**
   * Columns whose first row per distinct value is kept, after {@link #where}, as {@code
   * Dataset.dropDuplicates}; {@code "*"} stands for every column; empty keeps every row.
   */
  String[] dropDuplicates() default {};

  /**
   * Same, but a key is forgotten once the watermark passes its first row's event time plus the
   * delay, as {@code Dataset.dropDuplicatesWithinWatermark}; needs a {@link #watermark}.
   */
  String[] dropDuplicatesWithinWatermark() default {};

  /** Grouping expressions; with any, {@link #select} may use aggregate functions. */
  String[] groupBy() default {};

  /** The output columns, each an expression with an optional {@code AS name}. */
  String[] select();

  /** A condition on output rows (after grouping), over the output column names. */
  String having() default "";

  /** A record type the output rows are read into, by column name; {@code void} for rows. */
  Class<?> into() default void.class;

  /** The query's name in progress and generated class names; the class's simple name if empty. */
  String name() default "";
}
