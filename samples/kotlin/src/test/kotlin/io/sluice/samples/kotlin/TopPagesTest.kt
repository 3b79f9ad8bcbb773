package io.sluice.samples.kotlin

import io.sluice.api.OutputMode
import io.sluice.api.Row
import io.sluice.api.Sluice
import io.sluice.testkit.ManualClock
import io.sluice.testkit.QueryTester
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.time.Duration
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.within
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** The Kotlin sample's query, batch by batch through the test kit, and its console run. */
class TopPagesTest {
    private val clock = ManualClock(0)
    private val engine = Sluice.builder().clock(clock).build()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    @Test
    fun aClickViewsEverySectionOnItsPath() {
        assertThat(sectionsOf(Click("ann", "/docs/kotlin/nulls", ts = 1, durationMs = 2_500)))
            .containsExactly(
                SectionView("/docs", "ann", 2.5),
                SectionView("/docs/kotlin", "ann", 2.5),
                SectionView("/docs/kotlin/nulls", "ann", 2.5),
            )
        assertThat(sectionsOf(Click("bob", "/", ts = 1, durationMs = null))).isEmpty()
    }

    @Test
    fun countsPeoplesViewsPerSectionBatchByBatch() {
        val writer = topPages(clicks.toDataset()).writeStream().outputMode(OutputMode.UPDATE)
        QueryTester.of(writer).use { t ->
            clicks.addData(
                Click("ann", "/docs/kotlin", ts = 1, durationMs = 1_500),
                Click("bob", "/docs/java", ts = 2, durationMs = null),
                Click("bot-1", "/docs/kotlin", ts = 3, durationMs = 100),
            )
            // A section whose views all lack a duration has a null mean, not 0.
            t.expectBatch(
                listOf("/docs", 2L, 2L, 1.5),
                listOf("/docs/kotlin", 1L, 1L, 1.5),
                listOf("/docs/java", 1L, 1L, null),
            )
            clicks.addData(Click("ann", "/docs/java", ts = 4, durationMs = 500))
            t.expectBatch(listOf("/docs", 3L, 2L, 1.0), listOf("/docs/java", 2L, 2L, 0.5))
            t.expectNoBatch()
        }
    }

    @Test
    fun generatedClicksAgreeWithPlainKotlinCollections() {
        val query = topPages(generatedClicks(engine, rowsPerSecond = 40))
        QueryTester.of(query.writeStream().outputMode(OutputMode.COMPLETE)).use { t ->
            assertThat(t.runBatch()).describedAs("no row is due before the first second").isEmpty()
            clock.advance(Duration.ofSeconds(1))
            val rows = t.runBatch().associateBy { checkNotNull(it.getString("section")) }

            val expected = (0L until 40).map { clickOf(it, ts = 0) }
                .filterNot { it.user.startsWith("bot-") }
                .flatMap(::sectionsOf)
                .groupBy { it.section }
            assertThat(rows.keys).containsExactlyInAnyOrderElementsOf(expected.keys)
            for ((section, views) in expected) {
                val row: Row = rows.getValue(section)
                val users = views.map { it.user }.distinct()
                assertThat(row.getLong("views")).isEqualTo(views.size.toLong())
                assertThat(row.getLong("users")).isEqualTo(users.size.toLong())
                // Row.get is `Any?` in Kotlin (JSpecify @Nullable): the compiler makes us decide.
                val mean = row.get("avgSeconds") as Double?
                val seconds = views.mapNotNull { it.seconds }
                if (seconds.isEmpty()) {
                    assertThat(mean).isNull()
                } else {
                    assertThat(mean).isCloseTo(seconds.average(), within(0.005))
                }
            }
            assertThat(t.lastProgress()?.numInputRows()).isEqualTo(40L)
        }
    }

    @Test
    fun theConsoleQueryPrintsTablesAndASummary() {
        val console = ByteArrayOutputStream()
        val realTime = Sluice.builder().console(PrintStream(console, true, Charsets.UTF_8)).build()
        realTime.use { engine ->
            val query = startTopPages(engine)
            // The first rows are due after a second of the real clock: wait for that batch, but
            // give up (and fail below) rather than hang; awaitTermination returns if it dies.
            val deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos()
            while (query.lastProgress() == null && System.nanoTime() < deadline) {
                query.awaitTermination(20)
            }
            query.stop()
            assertThat(query.exception()).isNull()
            assertThat(summary(query))
                .matches("top-pages: \\d+ batches, last batch \\d+ rows in \\d+ ms")
        }
        assertThat(console.toString(Charsets.UTF_8)).contains(
            "Batch: 0",
            "|           section|views|users|avgSeconds|",
            "|             /docs|",
        )
    }

    @Test
    fun theSummarySaysSoWhenNoBatchRan() {
        val idle = clicks.toDataset().writeStream().format("memory").queryName("idle").start()
        idle.stop()
        assertThat(summary(idle)).isEqualTo("idle: no batch ran")
    }

    @Test
    fun mainRunsForTheSecondsItIsGivenAndSaysWhatItDid() {
        val original = System.out
        val captured = ByteArrayOutputStream()
        System.setOut(PrintStream(captured, true, Charsets.UTF_8))
        try {
            main(arrayOf("1"))
        } finally {
            System.setOut(original)
        }
        // One second may or may not be enough for a batch on a busy machine: either line will do.
        assertThat(captured.toString(Charsets.UTF_8).lines())
            .anyMatch { it.matches(Regex("top-pages: (no batch ran|\\d+ batches, .*)")) }
    }
}
