package io.sluice.api;

import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Position;
import io.sluice.internal.plan.EventTimeOperators;
import io.sluice.internal.plan.JoinPlanner;
import io.sluice.internal.plan.JoinType;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.NamedExpression;
import io.sluice.internal.plan.QuerySpec;
import io.sluice.internal.plan.QuerySpecPlanner;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A table of typed rows, bounded ({@link Sluice#read()}) or unbounded ({@link
 * Sluice#readStream()}): the same query runs on both.
 *
 * <p>{@code T} is the record type of the rows, or {@link Row} for untyped rows. Operations are
 * checked when called: a wrong column name or type fails here, not when the query runs.
 *
 * <p>A typed dataset's first columns are its record's components. Other columns may follow, such
 * as the metadata of a Kafka source read as events: filters and projections see them, and an
 * operation on the records ({@code map}, {@code flatMap}, {@code groupByKey}) drops them, as
 * Spark's typed operations do.
 *
 * <pre>{@code
 * Dataset<Row> views = clicks.filter("page IS NOT NULL").groupBy("page").count();
 * views.writeStream().outputMode(OutputMode.UPDATE).format("console").start();
 * }</pre>
 */
public final class Dataset<T> {
  private final Sluice engine;
  private final LogicalPlan plan;
  private final @Nullable Class<T> type;
  private final QueryOrigin origin;

  Dataset(Sluice engine, LogicalPlan plan, @Nullable Class<T> type) {
    this(engine, plan, type, QueryOrigin.FLUENT);
  }

  private Dataset(Sluice engine, LogicalPlan plan, @Nullable Class<T> type, QueryOrigin origin) {
    this.engine = engine;
    this.plan = plan;
    this.type = type;
    this.origin = origin;
  }

  static Dataset<Row> untyped(Sluice engine, LogicalPlan plan) {
    return new Dataset<>(engine, plan, null);
  }

  Sluice engine() {
    return engine;
  }

  LogicalPlan plan() {
    return plan;
  }

  QueryOrigin origin() {
    return origin;
  }

  /** The record class of the rows; null for untyped {@link Row}s. */
  @Nullable Class<T> recordType() {
    return type;
  }

  public Schema schema() {
    return plan.schema();
  }

  /** Whether this dataset reads an unbounded source; such a dataset runs with writeStream. */
  public boolean isStreaming() {
    return LogicalPlan.isStreaming(plan);
  }

  /** Keeps the named columns, in the given order. */
  public Dataset<Row> select(String... columns) {
    return select(Arrays.stream(columns).map(Functions::col).toArray(Column[]::new));
  }

  /** Computes the given columns from each row. */
  public Dataset<Row> select(Column... columns) {
    List<NamedExpression> out = new ArrayList<>();
    for (Column c : columns) {
      out.add(named(c, false));
    }
    return untyped(engine, new LogicalPlan.Project(plan, out));
  }

  /** Computes columns from expression strings: {@code selectExpr("page", "ts + 1 AS next")}. */
  public Dataset<Row> selectExpr(String... expressions) {
    return select(Arrays.stream(expressions).map(Functions::expr).toArray(Column[]::new));
  }

  /** Keeps the rows for which the expression is true: {@code filter("clicks > 3")}. */
  public Dataset<T> filter(String condition) {
    return filter(Functions.expr(condition));
  }

  /** Keeps the rows for which the column is true; null counts as false. */
  public Dataset<T> filter(Column condition) {
    Bound bound = Analyzer.bindPredicate(condition.expr(), schema(), condition.text());
    return new Dataset<>(engine, new LogicalPlan.Filter(plan, bound), type);
  }

  /** Same as {@link #filter(String)}. */
  public Dataset<T> where(String condition) {
    return filter(condition);
  }

  /** Same as {@link #filter(Column)}. */
  public Dataset<T> where(Column condition) {
    return filter(condition);
  }

  /** Adds a column, or replaces the column of that name. */
  public Dataset<Row> withColumn(String name, Column column) {
    List<NamedExpression> out = new ArrayList<>();
    boolean replaced = false;
    Schema schema = schema();
    int existing = schema.indexOf(name).orElse(-1);
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (i == existing) {
        out.add(new NamedExpression(name, bind(column, false)));
        replaced = true;
      } else {
        out.add(new NamedExpression(f.name(), new Bound.Column(i, f.name(), f.type(),
            f.nullable())));
      }
    }
    if (!replaced) {
      out.add(new NamedExpression(name, bind(column, false)));
    }
    return untyped(engine, new LogicalPlan.Project(plan, out));
  }

  /** Same as {@link #withColumn(String, Column)} with an expression string. */
  public Dataset<Row> withColumn(String name, String expression) {
    return withColumn(name, Functions.expr(expression));
  }

  /** Removes the named columns; names that do not exist are ignored, as in Spark. */
  public Dataset<Row> drop(String... columns) {
    Schema schema = schema();
    Set<Integer> gone = new HashSet<>();
    for (String column : columns) {
      schema.indexOf(column).ifPresent(gone::add);
    }
    List<NamedExpression> out = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (!gone.contains(i)) {
        out.add(new NamedExpression(f.name(), new Bound.Column(i, f.name(), f.type(),
            f.nullable())));
      }
    }
    return untyped(engine, new LogicalPlan.Project(plan, out));
  }

  /**
   * Declares {@code eventTime} (a TIMESTAMP, or a BIGINT of epoch milliseconds) as this stream's
   * event time, trailing by at most {@code delayThreshold}, e.g. {@code "10 minutes"}. After each
   * batch the watermark moves to the latest event time seen minus the delay, and from the next
   * batch on windows and groups that end at or before it are closed: append mode emits them,
   * their state is dropped, and later rows for them are dropped as late, as in Spark.
   */
  public Dataset<T> withWatermark(String eventTime, String delayThreshold) {
    int column = EventTimeOperators.eventTimeColumn(schema(), eventTime);
    long delay = EventTimeOperators.delayMillis(delayThreshold);
    return new Dataset<>(engine, new LogicalPlan.Watermark(plan, column, delay), type, origin);
  }

  /**
   * Keeps the first row of each distinct value of {@code columns} (all columns when none are
   * named), across batches, as Spark's {@code dropDuplicates}. Keys are remembered in state: with
   * a watermark and the event-time column among {@code columns}, a key is forgotten once the
   * watermark passes it; with a watermark, rows it has passed are dropped as late.
   */
  public Dataset<T> dropDuplicates(String... columns) {
    return deduplicate(false, columns);
  }

  /**
   * Keeps the first row of each distinct value of {@code columns} and drops rows with the same
   * key until the watermark passes the first row's event time plus the watermark's delay, as
   * Spark's {@code dropDuplicatesWithinWatermark}: duplicates need not share an event time.
   */
  public Dataset<T> dropDuplicatesWithinWatermark(String... columns) {
    return deduplicate(true, columns);
  }

  private Dataset<T> deduplicate(boolean withinWatermark, String... columns) {
    List<Integer> keys = new ArrayList<>();
    if (columns.length == 0) {
      for (int i = 0; i < schema().size(); i++) {
        keys.add(i);
      }
    }
    for (String column : columns) {
      int ordinal = EventTimeOperators.deduplicationKey(schema(), column);
      if (!keys.contains(ordinal)) {
        keys.add(ordinal);
      }
    }
    return new Dataset<>(engine, new LogicalPlan.Deduplicate(plan, List.copyOf(keys),
        withinWatermark), type, origin);
  }

  /**
   * The same rows, with each column also known as {@code name.column}: {@code
   * clicks.alias("c").join(ads.alias("a"), expr("c.adId = a.adId"))}.
   */
  public Dataset<T> alias(String name) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "an alias is a name without dots,"
          + " got '" + name + "'");
    }
    return new Dataset<>(engine, new LogicalPlan.Alias(plan, name), type);
  }

  /** The inner join with {@code right} on {@code condition}. */
  public Dataset<Row> join(Dataset<?> right, Column condition) {
    return join(right, condition, "inner");
  }

  /**
   * The join with {@code right} on the columns both have named {@code column}, as Spark's {@code
   * join(right, usingColumn, joinType)}; for a condition, pass {@code expr("...")}.
   */
  public Dataset<Row> join(Dataset<?> right, String column, String joinType) {
    return join(right, List.of(column), joinType);
  }

  /**
   * The join with {@code right} on {@code condition}, as Spark's {@code join}: {@code joinType}
   * is one of Spark's names ({@code inner}, {@code left}, {@code right}, {@code full}, {@code
   * left_semi}, {@code left_anti}, ...). The condition needs an equality between a column of each
   * side, the key the rows are looked up by; what else it says is checked on each pair.
   *
   * <p>A stream joins a bounded dataset (read with {@code read()} or {@code createDataset}):
   * stream on the left in an inner, left outer, left semi or left anti join; stream on the right
   * in an inner or right outer join, as in Spark. The joined rows have the left's columns, then
   * the right's (the left's only for semi and anti joins); name a column both have as {@code
   * alias.column}.
   *
   * <p>The bounded side is read into a hash table once, when the query's first batch needs it,
   * and kept for the query's life: unlike Spark, which reads it again every batch, later changes
   * to its files are not seen. To see them, mark it with {@link #reloadEvery}: it is then read
   * again at most once per interval.
   */
  public Dataset<Row> join(Dataset<?> right, Column condition, String joinType) {
    JoinType type = JoinType.parse(joinType);
    List<Field> both = new ArrayList<>(schema().fields());
    both.addAll(right.schema().fields());
    Bound bound = Analyzer.bindPredicate(condition.expr(), Schema.of(both), condition.text());
    return untyped(engine, JoinPlanner.plan(plan, right.plan(), type, bound,
        bounded -> engine.collectChunks(untyped(engine, bounded))));
  }

  /**
   * This bounded dataset, read again every {@code interval} as the bounded side of a
   * stream-static join, to follow a table that changes, such as a directory of files rewritten
   * from time to time:
   *
   * <pre>{@code
   * Dataset<Ad> ads = engine.read().json("/data/ads", Ad.class)
   *     .reloadEvery(Duration.ofMinutes(5));
   * clicks.join(ads, "adId").writeStream().start();
   * }</pre>
   *
   * <p>Without it the side is read once, when the first batch needs it (Spark reads it every
   * batch). With it, a batch that starts when at least {@code interval} has passed on the
   * engine's clock since the side was last read reads it again before its first row, so every
   * row of a batch sees one version; it is read at most once per interval, and not at all while
   * no batch runs. The time is the batch's processing time as logged with it, so a batch tried
   * again after a failure reloads, or not, as its first try did. A reload that fails (a file gone
   * or malformed) fails the query with a message naming the side. Anywhere but as the bounded
   * side of a join, the dataset is the same as without it.
   *
   * @throws SluiceException on a streaming dataset, which is read as it grows; or when {@code
   *     interval} is not positive
   */
  public Dataset<T> reloadEvery(Duration interval) {
    if (isStreaming()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "reloadEvery is for a bounded"
          + " dataset, the static side of a join; a stream is read as it grows anyway");
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "reloadEvery needs a positive"
          + " interval, got " + interval);
    }
    return new Dataset<>(engine, new LogicalPlan.ReloadEvery(plan, interval), type);
  }

  /** The inner join with {@code right} on the columns both have named {@code column}. */
  public Dataset<Row> join(Dataset<?> right, String column) {
    return join(right, List.of(column), "inner");
  }

  /**
   * The join with {@code right} on equal values of the columns named {@code columns}, which both
   * have, as Spark's {@code join(right, usingColumns, joinType)}: each appears once in the
   * result, first, followed by the left's other columns and the right's.
   */
  public Dataset<Row> join(Dataset<?> right, List<String> columns, String joinType) {
    Dataset<T> l = alias("__left");
    Dataset<?> r = right.alias("__right");
    Column condition = null;
    for (String c : columns) {
      Column equal = Functions.col("__left." + c).equalTo(Functions.col("__right." + c));
      condition = condition == null ? equal : condition.and(equal);
    }
    if (condition == null) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "a join on columns needs at least"
          + " one column");
    }
    Dataset<Row> joined = l.join(r, condition, joinType);
    JoinType type = JoinType.parse(joinType);
    if (type == JoinType.LEFT_SEMI || type == JoinType.LEFT_ANTI) {
      return joined;
    }
    List<Column> out = new ArrayList<>();
    String keySide = type == JoinType.RIGHT_OUTER ? "__right." : "__left.";
    for (String c : columns) {
      out.add(Functions.col(keySide + c).as(c));
    }
    for (String c : schema().names()) {
      if (!columns.contains(c)) {
        out.add(Functions.col("__left." + c).as(c));
      }
    }
    for (String c : right.schema().names()) {
      if (!columns.contains(c)) {
        out.add(Functions.col("__right." + c).as(c));
      }
    }
    return joined.select(out.toArray(Column[]::new));
  }

  /**
   * The rows of this dataset and of {@code other}, as Spark's {@code union}: columns are matched
   * by position (the names are this dataset's) and numbers are widened to a common type. Both
   * must be streams, or both bounded. Each input keeps its own {@code withWatermark}; the query's
   * watermark is the smallest of theirs (see {@link Sluice.Builder#multipleWatermarkPolicy}).
   */
  public Dataset<Row> union(Dataset<?> other) {
    if (isStreaming() != other.isStreaming()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a union of a stream and a"
          + " bounded dataset is not supported, as in Spark; read both with readStream()");
    }
    Schema mine = schema();
    Schema theirs = other.schema();
    if (mine.size() != theirs.size()) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "union needs inputs with the same"
          + " number of columns, but the first has " + mine.size() + " (" + String.join(", ",
              mine.names()) + ") and the second " + theirs.size() + " (" + String.join(", ",
              theirs.names()) + ")");
    }
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < mine.size(); i++) {
      Field a = mine.field(i);
      Field b = theirs.field(i);
      DataType type = commonType(a.type(), b.type());
      if (type == null) {
        throw new SluiceException(ErrorKind.TYPE_MISMATCH, "union cannot match column " + (i + 1)
            + ": '" + a.name() + "' is " + a.type().sqlName() + " but '" + b.name() + "' is "
            + b.type().sqlName() + "; cast one of them first");
      }
      fields.add(a.nullable() || b.nullable() ? Field.nullable(a.name(), type)
          : Field.required(a.name(), type));
    }
    Schema schema = Schema.of(fields);
    List<LogicalPlan> inputs = new ArrayList<>();
    for (LogicalPlan input : List.of(plan, other.plan)) {
      if (input instanceof LogicalPlan.Union u) {
        inputs.addAll(u.inputs());
      } else {
        inputs.add(input);
      }
    }
    List<LogicalPlan> conformed = new ArrayList<>();
    for (LogicalPlan input : inputs) {
      conformed.add(conform(input, schema));
    }
    return untyped(engine, new LogicalPlan.Union(List.copyOf(conformed), schema));
  }

  private static @Nullable DataType commonType(DataType a, DataType b) {
    if (a == b) {
      return a;
    }
    if (a.isNumeric() && b.isNumeric()) {
      return a == DataType.DOUBLE || b == DataType.DOUBLE ? DataType.DOUBLE : DataType.LONG;
    }
    return null;
  }

  /** {@code input} with the union's names and types, by a projection if they differ. */
  private static LogicalPlan conform(LogicalPlan input, Schema schema) {
    if (input.schema().equals(schema)) {
      return input;
    }
    List<NamedExpression> columns = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = input.schema().field(i);
      Bound column = new Bound.Column(i, f.name(), f.type(), f.nullable());
      if (f.type() != schema.field(i).type()) {
        column = Analyzer.bind(new Expr.Cast(new Expr.ColumnRef(f.name(), Position.NONE),
            schema.field(i).type(), Position.NONE), input.schema(), null, false);
      }
      columns.add(new NamedExpression(schema.field(i).name(), column));
    }
    return new LogicalPlan.Project(input, columns);
  }

  /**
   * Groups the records by {@code keyFunction}, for a function with per-key state: {@code
   * groupByKey(Click::user, String.class).mapGroupsWithState(...)}. The key is a String, a boxed
   * number, an Instant, a {@code byte[]} (keys with equal bytes are one key) or a record; a
   * primitive class ({@code long.class}, which is also what Kotlin's {@code Long::class.java}
   * gives) stands for its boxed type, the keys' real class.
   */
  @SuppressWarnings("unchecked")
  public <K> KeyValueGroupedDataset<K, T> groupByKey(MapFunction<T, K> keyFunction,
      Class<K> keyType) {
    if (type == null || type == Row.class) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "groupByKey needs a typed"
          + " dataset, whose rows are records: call as(YourRecord.class) first");
    }
    Class<K> boxed = (Class<K>) MethodType.methodType(keyType).wrap().returnType();
    return new KeyValueGroupedDataset<>(new Dataset<>(engine, recordsOnly(), type, origin),
        keyFunction, boxed);
  }

  /** One group of all rows, for a global aggregation; same as {@link #agg}. */
  public GroupedDataset groupBy() {
    return new GroupedDataset(this, List.of());
  }

  /** Groups rows by the named columns, for an aggregation. */
  public GroupedDataset groupBy(String... columns) {
    return groupBy(Arrays.stream(columns).map(Functions::col).toArray(Column[]::new));
  }

  /** Groups rows by the given columns or expressions, for an aggregation. */
  public GroupedDataset groupBy(Column... columns) {
    List<NamedExpression> keys = new ArrayList<>();
    for (Column c : columns) {
      keys.add(named(c, false));
    }
    return new GroupedDataset(this, keys);
  }

  /**
   * Runs the query a {@code @StreamQuery} class declares over these rows. When this dataset is
   * the query's whole input, the classes the annotation processor generated run it, and nothing
   * is compiled at start.
   *
   * <pre>{@code
   * Dataset<Row> views = engine.readStream().json(dir, Click.class).query(PageViews.class);
   * }</pre>
   */
  public Dataset<Row> query(Class<?> queryClass) {
    QuerySpec spec = AnnotatedQueries.spec(queryClass);
    LogicalPlan planned = QuerySpecPlanner.plan(spec, plan);
    return new Dataset<>(engine, planned, null, new QueryOrigin(queryClass));
  }

  /** Same, with the output rows read into {@code into} (the annotation's {@code into}). */
  public <U> Dataset<U> query(Class<?> queryClass, Class<U> into) {
    Dataset<Row> rows = query(queryClass);
    Dataset<U> typed = rows.as(into);
    return new Dataset<>(engine, typed.plan, into, rows.origin);
  }

  /** Aggregates all rows as one group: {@code agg(count("*"), max("ts"))}. */
  public Dataset<Row> agg(Column first, Column... rest) {
    return new GroupedDataset(this, List.of()).agg(first, rest);
  }

  /** Applies {@code function} to each row; {@code resultType} is a record or data class. */
  public <U> Dataset<U> map(MapFunction<T, U> function, Class<U> resultType) {
    return new Dataset<>(engine, new LogicalPlan.MapRecords(recordsOnly(), inputRecord(),
        RecordSchema.of(resultType), function, false), resultType);
  }

  /** Applies {@code function} to each row and keeps every record it returns. */
  public <U> Dataset<U> flatMap(FlatMapFunction<T, U> function, Class<U> resultType) {
    return new Dataset<>(engine, new LogicalPlan.MapRecords(recordsOnly(), inputRecord(),
        RecordSchema.of(resultType), function, true), resultType);
  }

  /**
   * The same rows typed as {@code recordType}, whose components are matched to columns by name;
   * a missing column or a wrong type is an error naming it.
   */
  public <U> Dataset<U> as(Class<U> recordType) {
    Schema target = RecordSchema.of(recordType).schema();
    List<NamedExpression> out = new ArrayList<>();
    for (Field f : target.fields()) {
      Bound column = Analyzer.bind(new Expr.ColumnRef(f.name(), Position.NONE), schema(), null,
          false);
      if (column.type() != f.type()) {
        column = Analyzer.bind(new Expr.Cast(new Expr.ColumnRef(f.name(), Position.NONE),
            f.type(), Position.NONE), schema(), null, false);
      }
      out.add(new NamedExpression(f.name(), column));
    }
    return new Dataset<>(engine, new LogicalPlan.Project(plan, out), recordType);
  }

  /** The same rows, untyped. */
  public Dataset<Row> toDF() {
    return untyped(engine, plan);
  }

  /** Runs this bounded dataset and returns its rows; for a stream use {@link #writeStream()}. */
  public List<T> collectAsList() {
    return engine.collect(this);
  }

  /** The number of rows of this bounded dataset. */
  public long count() {
    return collectAsList().size();
  }

  /** Starts describing how to run this streaming dataset. */
  public DataStreamWriter<T> writeStream() {
    if (!isStreaming()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "writeStream() needs a streaming dataset (from readStream()); "
              + "run a bounded dataset with collectAsList()");
    }
    return new DataStreamWriter<>(this);
  }

  /** The analyzed plan, one operator a line, source last. */
  public String explain() {
    StringBuilder out = new StringBuilder();
    describe(plan, 0, out);
    return out.toString();
  }

  private static void describe(LogicalPlan node, int depth, StringBuilder out) {
    out.append("  ".repeat(depth)).append(node.getClass().getSimpleName());
    if (node instanceof LogicalPlan.Scan s) {
      out.append(' ').append(s.description());
    }
    out.append(' ').append(node.schema()).append('\n');
    for (LogicalPlan child : node.children()) {
      describe(child, depth + 1, out);
    }
  }

  /** The plan with only the record's columns, for an operation on the records themselves. */
  private LogicalPlan recordsOnly() {
    RecordSchema record = inputRecord();
    Schema schema = schema();
    if (record == null || schema.size() == record.schema().size()) {
      return plan;
    }
    List<NamedExpression> components = new ArrayList<>();
    for (int i = 0; i < record.schema().size(); i++) {
      Field f = schema.field(i);
      components.add(new NamedExpression(f.name(), new Bound.Column(i, f.name(), f.type(),
          f.nullable())));
    }
    return new LogicalPlan.Project(plan, components);
  }

  private @Nullable RecordSchema inputRecord() {
    return type == null || type == Row.class ? null : RecordSchema.of(type);
  }

  Bound bind(Column c, boolean allowAggregates) {
    return Analyzer.bind(c.expr(), schema(), c.text(), allowAggregates);
  }

  NamedExpression named(Column c, boolean allowAggregates) {
    Bound bound = bind(c, allowAggregates);
    return new NamedExpression(Analyzer.outputName(c.expr(), bound), bound);
  }

  @Override
  public String toString() {
    return "Dataset" + schema();
  }
}
