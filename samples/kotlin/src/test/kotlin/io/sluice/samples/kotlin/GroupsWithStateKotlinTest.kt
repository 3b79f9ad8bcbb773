package io.sluice.samples.kotlin

import io.sluice.api.GroupState
import io.sluice.api.GroupStateTimeout
import io.sluice.api.OutputMode
import io.sluice.api.Sluice
import io.sluice.testkit.QueryTester
import kotlin.jvm.optionals.getOrNull
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * A user's visit so far, the state kept per user: first and last click (epoch ms), how many, and
 * the longest measured time on a page, null while no click of the visit was measured.
 */
data class OpenVisit(val start: Long, val end: Long, val clicks: Long, val longestMs: Int?) {
    /** The visit with one more click, which may come out of order. */
    operator fun plus(click: Click) = OpenVisit(
        start = minOf(start, click.ts),
        end = maxOf(end, click.ts),
        clicks = clicks + 1,
        longestMs = listOfNotNull(longestMs, click.durationMs).maxOrNull(),
    )

    fun closed(user: String) = Visit(user, start, end, clicks, longestMs)

    companion object {
        /** No clicks yet: the start of a fold over a new user's clicks. */
        val NONE = OpenVisit(Long.MAX_VALUE, Long.MIN_VALUE, clicks = 0, longestMs = null)
    }
}

/** A finished visit, written once, when the user has paused for the gap. */
data class Visit(
    val user: String,
    val start: Long,
    val end: Long,
    val clicks: Long,
    val longestMs: Int?,
)

/** A running count, the state of the counting functions below. */
data class Seen(val clicks: Long)

/** A minute of event time (minutes since the epoch) and its clicks so far. */
data class MinuteClicks(val minute: Long, val clicks: Long)

/** A page and its clicks so far. */
data class PageClicks(val page: String, val clicks: Long)

/**
 * `groupByKey` and the state functions as Kotlin sees them: key and state functions are lambdas,
 * events, state and output are data classes (a nullable property included), and `GroupState`'s
 * state is a non-null type: a key without state reads as null through `getOption().getOrNull()`.
 * Times are seconds after the epoch; the gap is 10 s and the watermark trails by 5 s.
 */
class GroupsWithStateKotlinTest {
    private val engine = Sluice.builder().statePartitions(2).build()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    private fun click(user: String, page: String, seconds: Long, durationMs: Int?) =
        Click(user, page, ts = seconds * 1000, durationMs = durationMs)

    private fun visit(user: String, start: Long, end: Long, clicks: Long, longestMs: Int?) =
        listOf(user, start * 1000, end * 1000, clicks, longestMs)

    /** Runs a batch, which must run (as one without input does when the watermark moved). */
    private fun QueryTester.batch(vararg rows: List<Any?>) {
        val before = nextBatchId()
        expectBatch(*rows)
        assertThat(nextBatchId()).describedAs("a batch ran").isEqualTo(before + 1)
    }

    @Test
    fun aVisitEndsWhenTheWatermarkPassesItsLastClickPlusTheGap() {
        val visits = clicks.toDataset().withWatermark("ts", "5 seconds")
            .groupByKey({ it.user }, String::class.java)
            .flatMapGroupsWithState({ user, newClicks, state ->
                if (state.hasTimedOut()) {
                    val ended = state.get().closed(user)
                    state.remove()
                    listOf(ended)
                } else {
                    val open = newClicks.asSequence()
                        .fold(state.getOption().getOrNull() ?: OpenVisit.NONE, OpenVisit::plus)
                    val timeout = open.end + 10_000
                    // A click the watermark passed only in the last batch is not late, but its
                    // visit is over: a timeout behind the watermark would be refused.
                    if (timeout < state.currentWatermarkMs) {
                        state.remove()
                        listOf(open.closed(user))
                    } else {
                        state.update(open)
                        state.setTimeoutTimestamp(timeout)
                        emptyList()
                    }
                }
            }, OutputMode.APPEND, OpenVisit::class.java, Visit::class.java,
                GroupStateTimeout.EVENT_TIME_TIMEOUT)

        QueryTester.of(visits.writeStream().outputMode(OutputMode.APPEND)).use { t ->
            // ann [10, 14] times out at 24, bob [12, 12] at 22. Watermark after: 9.
            clicks.addData(
                click("ann", "/home", 10, 2_000), click("bob", "/home", 12, 500),
                click("ann", "/cart", 14, null),
            )
            t.batch()
            t.batch() // no data, watermark 9
            // ann [10, 20] times out at 30; cy [28, 28], never measured, at 38.
            // Watermark after: 23.
            clicks.addData(click("ann", "/docs", 20, 4_000), click("cy", "/cart", 28, null))
            t.batch()
            t.batch(visit("bob", 12, 12, 1, 500)) // no data, watermark 23: past 22
            // Watermark after: 45.
            clicks.addData(click("dan", "/home", 50, 100))
            t.batch()
            t.batch(visit("ann", 10, 20, 3, 4_000), visit("cy", 28, 28, 1, null))
            assertThat(t.lastProgress()!!.stateOperators().single().numRowsTotal()).isEqualTo(1L)
            t.expectNoBatch()
        }
    }

    @Test
    fun mapGroupsWithStateTakesALambdaAndKotlinsLongClassForTheKey() {
        // Long::class.java is the primitive long; groupByKey takes it for java.lang.Long.
        val perMinute = clicks.toDataset()
            .groupByKey({ it.ts / 60_000 }, Long::class.java)
            .mapGroupsWithState({ minute, newClicks, state ->
                val before = state.getOption().getOrNull()?.clicks ?: 0
                val seen = Seen(before + newClicks.asSequence().count())
                state.update(seen)
                MinuteClicks(minute, seen.clicks)
            }, Seen::class.java, MinuteClicks::class.java)

        QueryTester.of(perMinute.writeStream().outputMode(OutputMode.UPDATE)).use { t ->
            clicks.addData(click("ann", "/home", 1, null), click("bob", "/home", 61, null))
            t.batch(listOf(0L, 1L), listOf(1L, 1L))
            clicks.addData(click("ann", "/cart", 62, null))
            t.batch(listOf(1L, 2L))
        }
    }

    @Test
    fun theSamplesExtensionsInferTheClassesAndTakeTheFunctionLast() {
        // A page is written once, with the click that makes it popular: its third.
        val popular = clicks.toDataset()
            .groupByKey { it.page }
            .flatMapGroupsWithState(OutputMode.APPEND, GroupStateTimeout.NO_TIMEOUT) {
                    page, newClicks, state: GroupState<Seen> ->
                val before = state.getOption().getOrNull()?.clicks ?: 0
                val seen = Seen(before + newClicks.asSequence().count())
                state.update(seen)
                if (before < 3 && seen.clicks >= 3) {
                    listOf(PageClicks(page, seen.clicks))
                } else {
                    emptyList()
                }
            }

        QueryTester.of(popular.writeStream().outputMode(OutputMode.APPEND)).use { t ->
            clicks.addData(click("ann", "/home", 1, null), click("bob", "/home", 2, null))
            t.batch()
            clicks.addData(
                click("cy", "/home", 3, null), click("dan", "/home", 4, null),
                click("ann", "/cart", 5, null),
            )
            t.batch(listOf("/home", 4L))
            clicks.addData(click("eve", "/home", 6, null))
            t.batch()
        }
    }
}
