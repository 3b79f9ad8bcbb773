package io.sluice.samples.kotlin

import io.sluice.api.Dataset
import io.sluice.api.Functions.col
import io.sluice.api.Functions.count
import io.sluice.api.MapFunction
import io.sluice.api.OutputMode
import io.sluice.api.Row
import io.sluice.api.Sluice
import io.sluice.testkit.QueryTester
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** A Kotlin data class for a map result; top level and public, so generated code can build it. */
data class PageTime(val page: String, val seconds: Double)

/**
 * The Java API as Kotlin sees it: lambdas convert to the function interfaces, data classes are
 * event types, and JSpecify's `@Nullable` makes nullable results Kotlin nullable types (none of
 * the calls below returns a platform type `T!`).
 */
class KotlinApiTest {
    private val engine = Sluice.create()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    @Test
    fun aNullablePropertyIsANullableColumnAndAPrimitiveOneIsNot() {
        val schema = clicks.toDataset().schema()
        assertThat(schema.names()).containsExactly("user", "page", "ts", "durationMs")
        assertThat(schema.field(2).nullable()).describedAs("ts: Long").isFalse()
        assertThat(schema.field(3).nullable()).describedAs("durationMs: Int?").isTrue()
    }

    @Test
    fun lambdasConvertToTheJavaFunctionInterfaces() {
        // The Java signature: a SAM-converted lambda and the result class...
        val javaStyle: Dataset<PageTime> = clicks.toDataset()
            .map({ c -> PageTime(c.page, (c.durationMs ?: 0) / 1000.0) }, PageTime::class.java)
        // ...an explicit SAM constructor...
        val toZero = MapFunction<Click, PageTime> { PageTime(it.user, 0.0) }
        val samStyle = clicks.toDataset().map(toZero, PageTime::class.java)
        // ...and the sample's reified extension, which infers the result class from the lambda.
        val kotlinStyle = clicks.toDataset()
            .filter(col("durationMs").isNotNull())
            .map { c -> PageTime(c.page, checkNotNull(c.durationMs) / 1000.0) }

        QueryTester.of(javaStyle.writeStream()).use { java ->
            QueryTester.of(samStyle.writeStream()).use { sam ->
                QueryTester.of(kotlinStyle.writeStream()).use { kotlin ->
                    clicks.addData(Click("ann", "/home", 1, 2_000), Click("bob", "/cart", 2, null))
                    java.expectBatch(listOf("/home", 2.0), listOf("/cart", 0.0))
                    sam.expectBatch(listOf("ann", 0.0), listOf("bob", 0.0))
                    kotlin.expectBatch(listOf("/home", 2.0))
                }
            }
        }
    }

    @Test
    fun rowValuesAreNullableSoKotlinMakesUsHandleThem() {
        val input = listOf(Click("ann", "/home", 1, 2_000), Click("bob", "/cart", 2, null))
        val rows: List<Row> = engine.createDataset(input, Click::class.java)
            .select("user", "durationMs").collectAsList()

        // Row.get(...) is `Any?` and Row.getString(...) is `String?`, so each use says what a null
        // means; assigning either to a non-null type does not compile.
        val durations = rows.associate { row ->
            (row.getString("user") ?: "?") to (row.get("durationMs") as Int?)
        }
        assertThat(durations)
            .containsExactlyInAnyOrderEntriesOf(mapOf("ann" to 2_000, "bob" to null))
        assertThat(rows.map { it.get("durationMs")?.toString() ?: "NULL" })
            .containsExactly("2000", "NULL")
    }

    @Test
    fun lastProgressIsNullableUntilABatchHasRun() {
        val views = clicks.toDataset().groupBy("page").agg(count("*").`as`("views"))
        QueryTester.of(views.writeStream().outputMode(OutputMode.COMPLETE)).use { t ->
            assertThat(t.lastProgress()).isNull()
            clicks.addData(Click("ann", "/home", 1, null))
            t.runBatch()
            val progress = checkNotNull(t.lastProgress()) { "a batch ran" }
            assertThat(progress.batchId()).isZero()
            assertThat(progress.numInputRows()).isEqualTo(1L)
        }
    }

    @Test
    fun aStartedQueryReportsProgressAndNoFailure() {
        val query = clicks.toDataset().groupBy("page").agg(count("*").`as`("views"))
            .writeStream().outputMode(OutputMode.COMPLETE).format("memory").queryName("views")
            .start()
        try {
            clicks.addData(Click("ann", "/home", 1, null), Click("bob", "/home", 2, 300))
            query.processAllAvailable()
            // StreamingQuery.lastProgress() and exception() are nullable types in Kotlin.
            assertThat(query.lastProgress()?.numInputRows() ?: 0L).isEqualTo(2L)
            assertThat(query.exception()).isNull()
            val table = engine.table("views")
                .associate { it.getString("page") to it.getLong("views") }
            assertThat(table).containsExactlyEntriesOf(mapOf("/home" to 2L))
        } finally {
            query.stop()
        }
    }

    @Test
    fun foreachBatchTakesATwoArgumentLambda() {
        val batches = mutableListOf<Pair<Long, List<String?>>>()
        val query = clicks.toDataset().select("user").writeStream()
            .foreachBatch { batch, id ->
                batches += id to batch.collectAsList().map { it.getString("user") }
            }
            .start()
        try {
            clicks.addData(Click("ann", "/home", 1, null))
            query.processAllAvailable()
            clicks.addData(Click("bob", "/cart", 2, null))
            query.processAllAvailable()
        } finally {
            query.stop()
        }
        assertThat(batches).containsExactly(0L to listOf("ann"), 1L to listOf("bob"))
    }
}
