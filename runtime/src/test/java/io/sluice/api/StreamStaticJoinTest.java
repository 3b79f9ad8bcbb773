package io.sluice.api;

import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Ad;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream joined with a bounded dataset, as in Spark: each batch's rows probe the bounded rows
 * by key, in the stream's own stage; the bounded side is read once. Expected rows are worked out
 * by hand per batch.
 */
public class StreamStaticJoinTest {
  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().clock(clock).build();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);
  private final Dataset<Ad> ads = engine.createDataset(List.of(new Ad("a", "spring", 10),
      new Ad("b", "summer", 20), new Ad("b", "autumn", 30), new Ad(null, "orphan", 40)),
      Ad.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static Tick tick(String key, long value) {
    return new Tick(key, Tick.T0, value);
  }

  private QueryTester tester(Dataset<Row> joined) {
    return QueryTester.of(joined.writeStream().outputMode(OutputMode.APPEND));
  }

  private Dataset<Row> joined(String joinType) {
    return ticks.toDataset().alias("t").join(ads.alias("a"), expr("t.key = a.key"), joinType)
        .select("t.key", "value", "campaign");
  }

  @Test
  void anInnerJoinPairsEachRowWithEveryMatchingRow() {
    try (QueryTester t = tester(joined("inner"))) {
      ticks.addData(tick("a", 1), tick("b", 2), tick("c", 3), tick(null, 4));
      t.expectBatch(row("a", 1L, "spring"), row("b", 2L, "summer"), row("b", 2L, "autumn"));
      ticks.addData(tick("b", 5));
      t.expectBatch(row("b", 5L, "summer"), row("b", 5L, "autumn"));
    }
  }

  @Test
  void aLeftOuterJoinKeepsARowWithoutMatchWithNulls() {
    try (QueryTester t = tester(joined("left_outer"))) {
      ticks.addData(tick("a", 1), tick("c", 3), tick(null, 4));
      t.expectBatch(row("a", 1L, "spring"), row("c", 3L, null), row(null, 4L, null));
    }
  }

  /** A reading of a sensor, whose id may be missing. */
  public record Reading(@org.jspecify.annotations.Nullable Long sensor, long value) {}

  /** Where a sensor is; a sensor may be in two places, or have no id. */
  public record Site(@org.jspecify.annotations.Nullable Long sensor, String place) {}

  @Test
  void aKeyOfOneLongColumnFindsItsRowsAsAnyOtherKey() {
    // A key of one long column is looked up without encoding it: the same rows must come out,
    // negative and extreme values, many keys, a missing id and a key without rows included.
    MemoryStream<Reading> readings = engine.memoryStream(Reading.class);
    List<Site> sites = new java.util.ArrayList<>(List.of(new Site(-7L, "cellar"),
        new Site(Long.MIN_VALUE, "roof"), new Site(3L, "hall"), new Site(3L, "porch"),
        new Site(null, "nowhere")));
    for (long id = 100; id < 5_000; id++) {
      sites.add(new Site(id * 1_000_003, "room " + id));
    }
    Dataset<Row> joined = readings.toDataset().alias("r")
        .join(engine.createDataset(sites, Site.class).alias("s"), expr("r.sensor = s.sensor"),
            "left_outer")
        .select("r.sensor", "value", "place");
    try (QueryTester t = tester(joined)) {
      readings.addData(new Reading(3L, 1), new Reading(-7L, 2), new Reading(Long.MIN_VALUE, 3),
          new Reading(4L, 4), new Reading(null, 5), new Reading(4_999L * 1_000_003, 6));
      t.expectBatch(row(3L, 1L, "hall"), row(3L, 1L, "porch"), row(-7L, 2L, "cellar"),
          row(Long.MIN_VALUE, 3L, "roof"), row(4L, 4L, null), row(null, 5L, null),
          row(4_999L * 1_000_003, 6L, "room 4999"));
    }
  }

  @Test
  void aLeftSemiJoinKeepsEachRowWithAMatchOnce() {
    Dataset<Row> semi = ticks.toDataset().join(adKeys(), expr("key = adKey"), "left_semi");
    try (QueryTester t = tester(semi)) {
      ticks.addData(tick("a", 1), tick("b", 2), tick("c", 3));
      long t0 = Tick.T0.toEpochMilli();
      t.expectBatch(row("a", t0, 1L), row("b", t0, 2L));
    }
  }

  private Dataset<Row> adKeys() {
    return ads.select(col("key").as("adKey"), col("budget"));
  }

  @Test
  void aLeftAntiJoinKeepsEachRowWithoutAMatch() {
    Dataset<Row> anti = ticks.toDataset().join(adKeys(), expr("key = adKey"), "left_anti");
    try (QueryTester t = tester(anti)) {
      ticks.addData(tick("a", 1), tick("c", 3), tick(null, 4));
      t.expectBatch(row("c", Tick.T0.toEpochMilli(), 3L), row(null, Tick.T0.toEpochMilli(), 4L));
    }
  }

  @Test
  void theRestOfTheConditionIsCheckedOnEachPair() {
    Dataset<Row> within = ticks.toDataset().join(adKeys(),
        expr("key = adKey AND value * 10 >= budget"), "left")
        .select("key", "value", "budget");
    try (QueryTester t = tester(within)) {
      ticks.addData(tick("b", 2), tick("b", 3), tick("a", 0));
      t.expectBatch(row("b", 2L, 20L), row("b", 3L, 20L), row("b", 3L, 30L),
          row("a", 0L, null));
    }
  }

  @Test
  void aBoundedLeftSideJoinsAStreamOnTheRightInARightOuterJoin() {
    Dataset<Row> joined = ads.alias("a").join(ticks.toDataset().alias("t"),
        expr("a.key = t.key"), "right").select("campaign", "t.key", "value");
    try (QueryTester t = tester(joined)) {
      ticks.addData(tick("a", 1), tick("z", 2));
      t.expectBatch(row("spring", "a", 1L), row(null, "z", 2L));
    }
  }

  @Test
  void aJoinOnColumnsNamesThemOnce() {
    Dataset<Row> joined = ticks.toDataset().join(ads, "key").select("key", "value", "campaign");
    try (QueryTester t = tester(joined)) {
      ticks.addData(tick("a", 1));
      t.expectBatch(row("a", 1L, "spring"));
    }
    assertThat(ticks.toDataset().join(ads, "key").schema().names())
        .containsExactly("key", "time", "value", "campaign", "budget");
  }

  @Test
  void twoBoundedDatasetsJoinAsABatchQuery() {
    Dataset<Tick> bounded = engine.createDataset(List.of(tick("a", 1), tick("b", 2),
        tick("c", 3)), Tick.class);
    List<Row> rows = bounded.alias("t").join(ads.alias("a"), expr("t.key = a.key"), "left")
        .select("t.key", "campaign").collectAsList();
    assertThat(ApiTestSupport.multiset(rows)).isEqualTo(ApiTestSupport.multiset(List.of(
        row("a", "spring"), row("b", "summer"), row("b", "autumn"), row("c", null))));
  }

  @Test
  void theStreamProbesTheTableInsideItsStagesLoop() {
    try (QueryTester t = tester(joined("left"))) {
      String source = t.generatedSource();
      assertThat(source).containsPattern("table_\\d+\\.lookup\\(joinKey_\\d+\\)")
          .contains("for (int i = 0; i < rows; i++)");
      // One stage: the probe is part of the stream's fused loop, not a stage of its own.
      assertThat(source.split("public final class").length - 1).isEqualTo(1);
    }
  }

  /**
   * A bounded side read from a file that is rewritten between batches: read once, or with
   * {@code reloadEvery(10 s)} again by the first batch that starts 10 s or more (on the engine's
   * manual clock) after the last read.
   */
  @Nested
  class ReloadingTheBoundedSide {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    @TempDir Path dir;
    private int version;

    /** Replaces the side's file with one ad, key {@code a}, of {@code campaign}. */
    private void adFile(String campaign) {
      writeFile(dir, "ads.json", version++, "{\"key\": \"a\", \"campaign\": \"" + campaign
          + "\", \"budget\": 10}");
    }

    private Dataset<Ad> adFiles() {
      return engine.read().json(dir.toString(), Ad.class);
    }

    private QueryTester joinedWith(Dataset<Ad> side) {
      adFile("spring");
      return tester(ticks.toDataset().alias("t").join(side.alias("a"), expr("t.key = a.key"))
          .select("t.key", "value", "campaign"));
    }

    /** Sets the clock to {@code millis} and adds a tick of key {@code a} for the next batch. */
    private void tickAt(long millis, long value) {
      clock.setMillis(millis);
      ticks.addData(tick("a", value));
    }

    /** A batch at {@code millis}, whose tick {@code value} joins the ad of {@code campaign}. */
    private void batchAt(QueryTester t, long millis, long value, String campaign) {
      tickAt(millis, value);
      t.expectBatch(row("a", value, campaign));
    }

    @Test
    void withoutReloadEveryTheJoinKeepsWhatItReadFirst() {
      try (QueryTester t = joinedWith(adFiles())) {
        batchAt(t, 0, 1, "spring");
        adFile("summer");
        batchAt(t, Duration.ofHours(1).toMillis(), 2, "spring");
      }
    }

    @Test
    void aBatchThatStartsOnceTheIntervalHasPassedReadsTheSideAgain() {
      try (QueryTester t = joinedWith(adFiles().reloadEvery(TEN_SECONDS))) {
        batchAt(t, 0, 1, "spring"); // read at 0 s
        adFile("summer");
        batchAt(t, 9_999, 2, "spring");
        batchAt(t, 10_000, 3, "summer"); // read at 10 s
        adFile("autumn");
        batchAt(t, 19_999, 4, "summer");
        batchAt(t, 20_000, 5, "autumn");
      }
    }

    @Test
    void theStageAsksForTheTableOncePerChunkNotPerRow() {
      try (QueryTester t = joinedWith(adFiles().reloadEvery(TEN_SECONDS))) {
        String source = t.generatedSource();
        assertThat(source).containsPattern("table_\\d+ = k\\d+\\.table\\(time\\.processingTime\\)");
        assertThat(source.indexOf(".table(time.processingTime)"))
            .isLessThan(source.indexOf("for (int i = 0; i < rows; i++)"));
      }
    }

    @Test
    void aReloadThatFailsOnAMalformedFileFailsTheQueryNamingTheSide() {
      try (QueryTester t = joinedWith(adFiles().reloadEvery(TEN_SECONDS))) {
        batchAt(t, 0, 1, "spring");
        writeFile(dir, "ads.json", version++, "{\"key\": \"a\", \"budget\": \"lots\"}");
        tickAt(10_000, 2);
        String malformed = "malformed record in " + dir.resolve("ads.json") + " line 1: field"
            + " 'budget' expects BIGINT but found a string";
        assertThatThrownBy(t::runBatch).hasMessageEndingWith("reloading the bounded side of a"
            + " join (FileSource[" + dir + "]) failed: " + malformed)
            .hasRootCauseMessage("[Sluice/MalformedRecord] " + malformed);
      }
    }

    @Test
    void aReloadThatFindsTheDirectoryGoneFailsTheQuery() throws IOException {
      try (QueryTester t = joinedWith(adFiles().reloadEvery(TEN_SECONDS))) {
        batchAt(t, 0, 1, "spring");
        Files.delete(dir.resolve("ads.json"));
        Files.delete(dir);
        tickAt(10_000, 2);
        assertThatThrownBy(t::runBatch).hasMessageEndingWith("reloading the bounded side of a"
            + " join (FileSource[" + dir + "]) failed: file source directory " + dir
            + " does not exist").hasRootCauseInstanceOf(NoSuchFileException.class);
      }
    }

    @Test
    void aStreamIsNotReloaded() {
      assertThatThrownBy(() -> ticks.toDataset().reloadEvery(TEN_SECONDS)).hasMessage(
          "[Sluice/UnsupportedOperation] reloadEvery is for a bounded dataset, the static side of"
              + " a join; a stream is read as it grows anyway");
    }

    @Test
    void theIntervalMustBePositive() {
      assertThatThrownBy(() -> ads.reloadEvery(Duration.ZERO)).hasMessage(
          "[Sluice/WrongArguments] reloadEvery needs a positive interval, got PT0S");
      assertThatThrownBy(() -> ads.reloadEvery(Duration.ofSeconds(-1))).hasMessage(
          "[Sluice/WrongArguments] reloadEvery needs a positive interval, got PT-1S");
    }
  }

  @Nested
  class WhatSparkRefuses {
    @Test
    void aStreamOnTheLeftOfARightOrFullOuterJoin() {
      assertThatThrownBy(() -> joined("right")).hasMessage("[Sluice/UnsupportedOperation]"
          + " RightOuter join with a streaming DataFrame/Dataset on the left and a static"
          + " DataFrame/DataSet on the right not supported");
      assertThatThrownBy(() -> joined("full")).hasMessage("[Sluice/UnsupportedOperation]"
          + " FullOuter joins with streaming DataFrames/Datasets on the left and a static"
          + " DataFrame/Dataset on the right is not supported");
    }

    @Test
    void aStreamOnTheRightOfALeftOuterSemiOrAntiJoin() {
      Dataset<Tick> stream = ticks.toDataset();
      assertThatThrownBy(() -> ads.join(stream, "key", "left")).hasMessageContaining(
          "LeftOuter join with a streaming DataFrame/Dataset on the right and a static"
              + " DataFrame/Dataset on the left is not supported");
      assertThatThrownBy(() -> ads.join(stream, List.of("key"), "left_anti"))
          .hasMessageContaining("LeftAnti joins with a streaming DataFrame/Dataset on the right"
              + " are not supported");
    }

    @Test
    void anUnknownJoinType() {
      assertThatThrownBy(() -> joined("sideways")).hasMessageContaining(
          "Unsupported join type 'sideways'. Supported join types include: 'inner', 'outer',");
    }

    @Test
    void aJoinWithoutAnEquality() {
      assertThatThrownBy(() -> ticks.toDataset().join(adKeys(), expr("value > budget"),
          "inner")).hasMessageContaining("a join with a bounded dataset needs at least one"
              + " equality between a column of each side");
    }

    @Test
    void aColumnBothSidesHaveNeedsItsSide() {
      assertThatThrownBy(() -> ticks.toDataset().alias("t").join(ads.alias("a"),
          expr("key = a.key"))).hasMessageContaining("column 'key' is ambiguous: it could be"
              + " t.key, a.key; name the side, as in a.key");
    }
  }
}
