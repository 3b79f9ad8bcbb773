@file:JvmName("TopPages")

package io.sluice.samples.kotlin

import io.sluice.annotations.EventTime
import io.sluice.api.Dataset
import io.sluice.api.Functions.count
import io.sluice.api.Functions.countDistinct
import io.sluice.api.Functions.expr
import io.sluice.api.OutputMode
import io.sluice.api.Row
import io.sluice.api.Sluice
import io.sluice.api.StreamingQuery
import io.sluice.api.Trigger
import kotlin.math.sqrt

/**
 * The Kotlin sample: views, distinct users and mean time on page per section of a site, from a
 * generated click stream, printed to the console after every one-second micro-batch. It stops by
 * itself after a few seconds (the first argument, default 6).
 *
 * ```
 * mvn -q -B -pl samples/kotlin -am -DskipTests package exec:exec
 * ```
 *
 * Event types are plain Kotlin data classes: the engine reads them through `componentN()`, in
 * constructor order, and a nullable property (`Int?`) becomes a nullable column.
 */
fun main(args: Array<String>) {
    val seconds = args.firstOrNull()?.toLong() ?: 6
    Sluice.create().use { engine ->
        val query = startTopPages(engine)
        query.awaitTermination(seconds * 1000)
        query.stop()
        query.exception()?.let { throw it }
        println(summary(query))
    }
}

/**
 * A click on [page] at [ts] (epoch milliseconds, the event time); [durationMs] is null when the
 * visitor left before it could be measured.
 */
data class Click(val user: String, val page: String, @EventTime val ts: Long, val durationMs: Int?)

/** One view of a [section]: a click on `/docs/kotlin/nulls` also views `/docs/kotlin`, `/docs`. */
data class SectionView(val section: String, val user: String, val seconds: Double?)

/** Most popular first. */
private val PAGES =
    listOf("/docs/kotlin/nulls", "/docs/kotlin", "/docs/java", "/blog/launch", "/shop/cart")

/**
 * The click that row [value] of the rate source stands for. Of every 25 clicks, 9 are on the
 * first page, 7 on the second, then 5, 3 and 1; every tenth click is a crawler's.
 */
fun clickOf(value: Long, ts: Long): Click = Click(
    user = if (value % 10 == 9L) "bot-${value % 3}" else "user-${value % 37}",
    page = PAGES[PAGES.size - 1 - sqrt((value % 25).toDouble()).toInt()],
    ts = ts,
    durationMs = if (value % 4 == 3L) null else (value * 137 % 9_000).toInt(),
)

/** A click stream made up from the built-in rate source, so that nothing external is needed. */
fun generatedClicks(engine: Sluice, rowsPerSecond: Long = 200): Dataset<Click> =
    engine.readStream().format("rate").option("rowsPerSecond", rowsPerSecond).load()
        .map { row -> clickOf(row.getLong("value"), row.getLong("timestamp")) }

/** The sections a click views, outermost first: `/docs`, `/docs/kotlin`, `/docs/kotlin/nulls`. */
fun sectionsOf(click: Click): List<SectionView> =
    click.page.split('/').filter { it.isNotEmpty() }
        .runningReduce { path, segment -> "$path/$segment" }
        .map { path -> SectionView("/$path", click.user, click.durationMs?.let { it / 1000.0 }) }

/** The sample's query: people's views per section; crawlers do not count. */
fun topPages(clicks: Dataset<Click>): Dataset<Row> =
    clicks.filter("user NOT LIKE 'bot-%'")
        .flatMap { click -> sectionsOf(click) }
        .groupBy("section")
        .agg(
            count("*").`as`("views"),
            countDistinct("user").`as`("users"),
            expr("round(avg(seconds), 2) AS avgSeconds"),
        )

/** Starts the sample's query on [engine], printing the whole table every second. */
fun startTopPages(engine: Sluice, rowsPerSecond: Long = 200): StreamingQuery =
    topPages(generatedClicks(engine, rowsPerSecond)).writeStream()
        .queryName("top-pages")
        .outputMode(OutputMode.COMPLETE)
        .trigger(Trigger.processingTime("1 second"))
        .format("console")
        .start()

/** One line about a finished run; there is no progress (a null) when no batch ran. */
fun summary(query: StreamingQuery): String {
    val last = query.lastProgress() ?: return "${query.name()}: no batch ran"
    return "${query.name()}: ${last.batchId() + 1} batches, " +
        "last batch ${last.numInputRows()} rows in ${last.batchDuration()} ms"
}
