package io.sluice.api;

import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.connector.ChunkListSource;
import io.sluice.internal.connector.MemorySink;
import io.sluice.internal.connector.Sink;
import io.sluice.internal.connector.SourceProviders;
import io.sluice.internal.dashboard.DashboardServer;
import io.sluice.internal.exec.ApiBridge;
import io.sluice.internal.exec.EngineContext;
import io.sluice.internal.exec.JvmFlags;
import io.sluice.internal.exec.ListenerBus;
import io.sluice.internal.exec.MicroBatchExecution;
import io.sluice.internal.exec.QueryReports;
import io.sluice.internal.exec.StreamExecution;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.QueryPlan;
import io.sluice.internal.plan.StagePlanner;
import io.sluice.internal.state.ChronicleWarmUp;
import io.sluice.internal.state.StateStoreConfig;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sluice engine: the entry point that reads sources and runs queries inside this JVM, like a
 * Spark session without a cluster.
 *
 * <pre>{@code
 * try (Sluice engine = Sluice.create()) {
 *   Dataset<Row> counts = engine.readStream().json("/data/clicks", Click.class)
 *       .groupBy("page").count();
 *   counts.writeStream().outputMode(OutputMode.COMPLETE).format("console").start()
 *       .awaitTermination();
 * }
 * }</pre>
 *
 * <p>Every query is compiled to Java classes when it starts; nothing interprets expressions row by
 * row. Closing the engine stops its queries.
 */
public final class Sluice implements AutoCloseable {
  static {
    ApiBridge.Holder.install((writer, sink) -> writer.prepare(sink));
  }

  private final EngineContext context;
  private final PrintStream console;
  private final boolean buildTimeStages;
  private final Map<String, MemorySink> tables = new ConcurrentHashMap<>();
  private final List<StreamExecution> active = new ArrayList<>();
  private final @Nullable DashboardServer dashboard;
  private final QueryReports reports;

  private Sluice(Builder b) {
    JvmFlags.check();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(b.workerThreads, r -> {
      Thread t = new Thread(r, "sluice-worker-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    this.context = new EngineContext(b.clock, new StateStoreConfig(b.statePartitions,
        b.maxKeysPerStatePartition, b.minBatchesToRetain, b.syncCheckpoint), workers,
        new StageCompiler(b.dumpDirectory),
        loader != null ? loader : Sluice.class.getClassLoader(), b.watermarkPolicy);
    this.console = b.console;
    // Chronicle's first map in a JVM costs about a second; pay it while the application starts.
    ChronicleWarmUp.startOnce();
    this.buildTimeStages = b.buildTimeStages;
    this.reports = new QueryReports(new ListenerBus(b.log), b.log, b.clock,
        b.noDataProgressEventInterval.toMillis(), b.progressLogInterval.toMillis());
    // Bound once every setting has been checked, so that a failed build holds no port; and
    // before the listeners start the bus's thread, so that a port in use leaves no thread.
    this.dashboard = b.dashboard == null ? null : DashboardServer.start(b.dashboard);
    b.listeners.forEach(this::addListener);
  }

  /** An engine with default settings. */
  public static Sluice create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads an unbounded source. */
  public DataReader readStream() {
    return new DataReader(this, true);
  }

  /** Reads a bounded source: the same formats, read once. */
  public DataReader read() {
    return new DataReader(this, false);
  }

  /** A stream the application feeds by hand with {@link MemoryStream#addData}. */
  public <T> MemoryStream<T> memoryStream(Class<T> type) {
    return new MemoryStream<>(this, type);
  }

  /** A bounded dataset of the given records. */
  public <T> Dataset<T> createDataset(List<T> records, Class<T> type) {
    RecordSchema schema = RecordSchema.of(type);
    List<T> copy = List.copyOf(records);
    String description = "LocalRelation[" + type.getSimpleName() + "]";
    return new Dataset<>(this, new LogicalPlan.Scan(SourceProviders.forRecords(description,
        schema.schema(), schema, () -> copy, false), description), type);
  }

  /** The rows of the memory table a query with the memory sink writes, as of its last batch. */
  public List<Row> table(String name) {
    MemorySink sink = tables.get(name);
    if (sink == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "no memory table '" + name
          + "'; tables: " + String.join(", ", tables.keySet()));
    }
    return sink.rows();
  }

  /** The queries started by this engine that are still running. */
  public List<StreamingQuery> activeQueries() {
    synchronized (active) {
      return List.copyOf(active);
    }
  }

  /**
   * Where the dashboard's page is, such as {@code http://127.0.0.1:4040/}, or null when the
   * engine was built without {@link Builder#dashboard(int)}.
   */
  public @Nullable URI dashboardUri() {
    return dashboard == null ? null : dashboard.uri();
  }

  /**
   * Registers a listener for the events of every query this engine runs from now on, as Spark's
   * {@code spark.streams().addListener}; it is called on the engine's listener thread.
   */
  public void addListener(StreamingQueryListener listener) {
    reports.bus().add(listener);
  }

  /** Stops calling {@code listener}; events already on their way may still reach it. */
  public void removeListener(StreamingQueryListener listener) {
    reports.bus().remove(listener);
  }

  /** Refuses a second active query with the same explicit name, as Spark does. */
  void requireUniqueName(String name) {
    for (StreamingQuery q : activeQueries()) {
      if (q.name().equals(name)) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "cannot start query '" + name
            + "': a query with that name is already active; stop it or choose another name");
      }
    }
  }

  MemorySink registerTable(String name, MemorySink sink) {
    tables.put(name, sink);
    return sink;
  }

  PrintStream console() {
    return console;
  }

  StreamingQuery start(String name, QueryPlan plan, Sink sink, OutputMode mode, Trigger trigger,
      QueryOrigin origin, @Nullable Path checkpoint) {
    MicroBatchExecution batches = prepare(name, plan, sink, mode, origin, checkpoint);
    StreamExecution[] self = new StreamExecution[1];
    self[0] = new StreamExecution(batches, trigger, context.clock(), explain(plan,
        batches.generatedStages(), batches.compilers()), reports.forQuery(checkpoint), () -> {
          synchronized (active) {
            active.remove(self[0]);
          }
        });
    synchronized (active) {
      active.add(self[0]);
    }
    if (dashboard != null) {
      dashboard.track(self[0]);
    }
    self[0].start();
    return self[0];
  }

  /** The batches of a test driver: the same execution, driven by the caller's thread. */
  MicroBatchExecution prepare(String name, QueryPlan plan, Sink sink, OutputMode mode,
      QueryOrigin origin, @Nullable Path checkpoint) {
    return new MicroBatchExecution(UUID.randomUUID(), UUID.randomUUID(), name, plan, sink, mode,
        context, origin.naming(name), buildTimeStages ? origin.precompiled() : null, checkpoint);
  }

  /** Runs a bounded dataset and returns its rows as column chunks. */
  List<ColumnBatch> collectChunks(Dataset<?> dataset) {
    QueryPlan plan = StagePlanner.plan(dataset.plan());
    try (MicroBatchExecution run = prepare("batch", plan, new MemorySink("batch"),
        OutputMode.COMPLETE, dataset.origin(), null)) {
      return run.runBounded();
    }
  }

  /**
   * The rows of a foreachBatch batch collected as they are, or null for any other dataset: a
   * query planned, generated and run per batch only to copy them cost more than most batches.
   */
  private static @Nullable List<Row> batchRows(Dataset<?> dataset) {
    if (dataset.plan() instanceof LogicalPlan.Scan scan
        && scan.source().create(Clock.system()) instanceof ChunkListSource batch) {
      return MemorySink.toRows(batch.schema(), batch.chunks());
    }
    return null;
  }

  <T> List<T> collect(Dataset<T> dataset) {
    if (dataset.isStreaming()) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "a streaming dataset has no end to collect; start it with writeStream()");
    }
    List<Row> rows = batchRows(dataset);
    if (rows == null) {
      QueryPlan plan = StagePlanner.plan(dataset.plan());
      rows = MemorySink.toRows(plan.outputSchema(), collectChunks(dataset));
    }
    Class<T> type = dataset.recordType();
    if (type == null) {
      @SuppressWarnings("unchecked")
      List<T> untyped = (List<T>) rows;
      return untyped;
    }
    List<T> typed = new ArrayList<>(rows.size());
    for (Row row : rows) {
      typed.add(toRecord(row, type));
    }
    return typed;
  }

  private static <T> T toRecord(Row row, Class<T> type) {
    RecordSchema schema = RecordSchema.of(type);
    Object[] args = new Object[schema.schema().size()];
    for (int i = 0; i < args.length; i++) {
      Object v = row.get(i);
      args[i] = schema.javaClass(i) == Instant.class && v != null
          ? Instant.ofEpochMilli((Long) v) : v;
    }
    try {
      Constructor<?> constructor = schema.constructor();
      return type.cast(constructor.newInstance(args));
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.EXECUTION,
          "cannot build " + type.getName() + " from " + row + ": " + e, e);
    }
  }

  static String explain(QueryPlan plan, List<GeneratedStage> stages, List<String> compilers) {
    StringBuilder out = new StringBuilder("== Plan ==\n");
    out.append("Scan ").append(plan.scan().description()).append('\n');
    for (QueryPlan.UnionInput input : plan.unionInputs()) {
      out.append("  Input ").append(input.scan().description()).append('\n');
      input.operators().forEach(p -> out.append("    ").append(p.getClass().getSimpleName())
          .append('\n'));
    }
    plan.preOperator().forEach(p -> out.append(p.getClass().getSimpleName()).append('\n'));
    if (plan.deduplication() != null) {
      out.append("Deduplicate ").append(plan.deduplication().keyColumns()).append('\n');
    } else if (plan.operator() instanceof io.sluice.internal.plan.StreamJoinPlan j) {
      out.append("StreamStreamJoin ").append(j.joinType().sparkName()).append(" keys ")
          .append(j.keyTypes()).append(", left rows go at ").append(j.leftEviction())
          .append(", right rows at ").append(j.rightEviction()).append('\n');
    } else if (plan.operator() != null) {
      out.append(plan.operator() instanceof io.sluice.internal.plan.TransformWithStatePlan
          ? "TransformWithState " : "GroupsWithState ").append(plan.operator().outputSchema())
          .append('\n');
    }
    plan.preAggregation().forEach(p -> out.append(p.getClass().getSimpleName()).append('\n'));
    if (plan.aggregation() != null) {
      out.append("Aggregate ").append(plan.aggregation().rawSchema()).append('\n');
    }
    plan.postAggregation().forEach(p -> out.append(p.getClass().getSimpleName()).append('\n'));
    out.append("== Generated stages ==\n");
    for (int i = 0; i < stages.size(); i++) {
      out.append(stages.get(i).className()).append(" (compiled by ").append(compilers.get(i))
          .append(")\n");
    }
    return out.toString();
  }

  /**
   * Stops every running query, lets the listeners take the events already posted, and releases
   * the engine's threads and state.
   */
  @Override
  public void close() {
    for (StreamingQuery q : activeQueries()) {
      q.stop();
    }
    context.workers().shutdownNow();
    if (dashboard != null) {
      dashboard.close();
    }
    reports.bus().close();
  }

  /** Settings of an engine; every one has a default. */
  public static final class Builder {
    private Clock clock = Clock.system();
    private int statePartitions = 4;
    private long maxKeysPerStatePartition = 100_000_000;
    private int minBatchesToRetain = StateStoreConfig.DEFAULT_BATCHES_TO_RETAIN;
    private int workerThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private @Nullable Path dumpDirectory;
    private PrintStream console = System.out;
    private boolean buildTimeStages = true;
    private WatermarkPolicy watermarkPolicy = WatermarkPolicy.MIN;
    private boolean syncCheckpoint = true;
    private @Nullable InetSocketAddress dashboard;
    private final List<StreamingQueryListener> listeners = new ArrayList<>();
    private Duration noDataProgressEventInterval = Duration.ofSeconds(10);
    private Duration progressLogInterval = Duration.ofSeconds(10);
    private Logger log = LoggerFactory.getLogger("io.sluice.query");

    private Builder() {}

    // Monitoring: listeners, idle events, progress in the log.

    /** A listener for every query of the engine, as {@link Sluice#addListener} adds one. */
    public Builder listener(StreamingQueryListener listener) {
      this.listeners.add(listener);
      return this;
    }

    /**
     * How long a query finds no new data before its listeners hear {@code onQueryIdle}, and
     * then between two such events (default 10 seconds), as Spark's {@code
     * spark.sql.streaming.noDataProgressEventInterval}; time of the engine's clock.
     */
    public Builder noDataProgressEventInterval(Duration interval) {
      this.noDataProgressEventInterval = notNegative("noDataProgressEventInterval", interval);
      return this;
    }

    /**
     * How often a query logs its progress at INFO, at most (default 10 seconds of the engine's
     * clock); at DEBUG it logs every batch's progress as JSON. The logger is {@code
     * io.sluice.query}.
     */
    public Builder progressLogInterval(Duration interval) {
      this.progressLogInterval = notNegative("progressLogInterval", interval);
      return this;
    }

    /** Where the engine logs its queries' lifecycle and progress: tests read it. */
    Builder log(Logger log) {
      this.log = log;
      return this;
    }

    private static Duration notNegative(String setting, Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException(setting + " must be zero or more, not " + interval);
      }
      return interval;
    }

    /**
     * Serves a live dashboard of this engine's queries on {@code port} of the loopback address
     * (0: any free port; {@link Sluice#dashboardUri()} tells which): charts of their rates, batch
     * durations, state and watermark, and their recent progress. Off by default.
     *
     * <pre>{@code
     * try (Sluice engine = Sluice.builder().dashboard(4040).build()) {
     *   System.out.println(engine.dashboardUri());   // http://127.0.0.1:4040/
     * }
     * }</pre>
     */
    public Builder dashboard(int port) {
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException(
            "the dashboard port must be 0 (any free port) to 65535, not " + port);
      }
      return dashboard(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Serves the dashboard on {@code address}; other machines can read it if that address is
     * not a loopback one. Its page and {@code /api/queries} show query names and progress to
     * whoever reaches the address, and nothing there changes a query.
     */
    public Builder dashboard(InetSocketAddress address) {
      this.dashboard = address;
      return this;
    }

    /**
     * Whether each batch syncs the checkpoint files it writes to disk (default true), so that the
     * checkpoint survives a crash of the machine or a power loss, not only of the process. Either
     * way a file is written under a temporary name and renamed, so a killed process leaves every
     * file whole: the operating system keeps what the process wrote, and a restart recovers
     * exactly once. False, as Spark's checkpoints on a local disk behave, saves several fsyncs per
     * batch (milliseconds on most disks, most of a small batch's cost); a crash of the machine may
     * then leave a torn file, which a restart reports by name.
     */
    public Builder syncCheckpoint(boolean sync) {
      this.syncCheckpoint = sync;
      return this;
    }

    /**
     * How a query whose inputs each have a watermark combines them (default {@link
     * WatermarkPolicy#MIN}), as Spark's {@code spark.sql.streaming.multipleWatermarkPolicy}.
     */
    public Builder multipleWatermarkPolicy(WatermarkPolicy policy) {
      this.watermarkPolicy = policy;
      return this;
    }

    /**
     * Whether annotated queries run on the stage classes the annotation processor compiled
     * (default true). False makes the engine generate and compile them with Janino, as for any
     * other query: for comparing the two, or to rule the build out when debugging.
     */
    public Builder buildTimeStages(boolean use) {
      this.buildTimeStages = use;
      return this;
    }

    /** Processing time for triggers and the rate source; tests pass a manual clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How many partitions each stateful operator splits its keys into (default 4). */
    public Builder statePartitions(int partitions) {
      this.statePartitions = partitions;
      return this;
    }

    /**
     * How many keys one state partition may hold (default 100,000,000). A partition starts
     * small and grows as keys arrive; past this limit a write fails with a clear error.
     */
    public Builder maxKeysPerStatePartition(long keys) {
      this.maxKeysPerStatePartition = keys;
      return this;
    }

    /**
     * How many of the newest committed batches a checkpoint can go back to (default 100, as
     * Spark's {@code minBatchesToRetain}): their offsets, commits and state versions are kept,
     * older ones deleted.
     */
    public Builder minBatchesToRetain(int batches) {
      this.minBatchesToRetain = batches;
      return this;
    }

    /** Threads that merge state partitions in parallel (default: one per core). */
    public Builder workerThreads(int threads) {
      this.workerThreads = threads;
      return this;
    }

    /** Writes every generated class's source under {@code directory}, for reading and debugging. */
    public Builder dumpGeneratedSourcesTo(Path directory) {
      this.dumpDirectory = directory;
      return this;
    }

    /** Where the console sink prints (default {@code System.out}). */
    public Builder console(PrintStream out) {
      this.console = out;
      return this;
    }

    public Sluice build() {
      return new Sluice(this);
    }
  }
}
