package io.sluice.samples.kotlin

import io.sluice.api.ExpiredTimerInfo
import io.sluice.api.OutputMode
import io.sluice.api.Sluice
import io.sluice.api.StatefulProcessor
import io.sluice.api.StatefulProcessorWithInitialState
import io.sluice.api.TimeMode
import io.sluice.api.TimerValues
import io.sluice.api.ValueState
import io.sluice.testkit.ManualClock
import io.sluice.testkit.QueryTester
import java.time.Duration
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** A Kotlin data class for transformWithState's output; top level and public. */
data class UserClicks(val user: String, val clicks: Long)

/**
 * transformWithState from Kotlin: a processor is an object expression, `ValueState.get()` is a
 * nullable `Long?`, and the handle is the `handle` property.
 */
class TransformWithStateKotlinTest {
    private val clock = ManualClock(0)
    private val engine = Sluice.builder().clock(clock).build()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    @Test
    fun aProcessorCountsClicksAndEmitsThemWhenTheUserIsIdle() {
        val idle = object : StatefulProcessor<String, Click, UserClicks>() {
            private lateinit var count: ValueState<Long>

            override fun init(outputMode: OutputMode, timeMode: TimeMode) {
                count = handle.getValueState("count", Long::class.javaObjectType)
            }

            override fun handleInputRows(user: String, rows: Iterator<Click>,
                    timerValues: TimerValues): Iterable<UserClicks> {
                count.update((count.get() ?: 0L) + rows.asSequence().count())
                handle.listTimers().forEach(handle::deleteTimer)
                handle.registerTimer(timerValues.currentProcessingTimeInMs + 10_000)
                return emptyList()
            }

            override fun handleExpiredTimer(user: String, timerValues: TimerValues,
                    expiredTimerInfo: ExpiredTimerInfo): Iterable<UserClicks> {
                val clicks = count.get() ?: 0L
                count.clear()
                return listOf(UserClicks(user, clicks))
            }
        }
        val perUser = clicks.toDataset()
            .groupByKey({ it.user }, String::class.java)
            .transformWithState(idle, TimeMode.PROCESSING_TIME, OutputMode.APPEND,
                UserClicks::class.java)
        QueryTester.of(perUser.writeStream().outputMode(OutputMode.APPEND)).use { t ->
            clicks.addData(Click("ann", "/home", 1, null), Click("ann", "/cart", 2, null))
            t.expectBatch()
            clock.advance(Duration.ofSeconds(10))
            t.expectBatch(listOf("ann", 2L))
            t.expectNoBatch()
        }
    }

    /** Counts a user's clicks from the count it had before the stream started. */
    private class CountFromBefore : StatefulProcessorWithInitialState<String, Click, UserClicks,
            UserClicks>() {
        private lateinit var count: ValueState<Long>

        override fun init(outputMode: OutputMode, timeMode: TimeMode) {
            count = handle.getValueState("count", Long::class.javaObjectType)
        }

        override fun handleInitialState(user: String, initialState: UserClicks,
                timerValues: TimerValues) = count.update(initialState.clicks)

        override fun handleInputRows(user: String, rows: Iterator<Click>,
                timerValues: TimerValues): Iterable<UserClicks> {
            count.update((count.get() ?: 0L) + rows.asSequence().count())
            return listOf(UserClicks(user, count.get()!!))
        }
    }

    @Test
    fun anInitialStateSeedsTheCountsAndTheRunningQueryCanBeAsked() {
        val before = engine.createDataset(listOf(UserClicks("ann", 40), UserClicks("bob", 7)),
            UserClicks::class.java).groupByKey { it.user }
        val perUser = clicks.toDataset().groupByKey { it.user }
            .transformWithState(CountFromBefore(), TimeMode.NONE, OutputMode.UPDATE, before)
        val query = perUser.writeStream().outputMode(OutputMode.UPDATE).format("memory")
            .queryName("perUser").start()
        try {
            clicks.addData(Click("ann", "/home", 1, null), Click("cid", "/cart", 2, null))
            query.processAllAvailable()
            val counts = query.queryableValueState<String, Long>("count")
            assertThat(counts.all()).isEqualTo(mapOf("ann" to 41L, "bob" to 7L, "cid" to 1L))
            assertThat(counts.get("bob")).contains(7L)
        } finally {
            query.stop()
        }
    }
}
