package io.sluice.samples.kotlin

import io.sluice.api.OutputMode
import io.sluice.api.Sluice
import io.sluice.api.StatefulProcessor
import io.sluice.api.TimeMode
import io.sluice.api.TimerValues
import io.sluice.testkit.ManualClock
import io.sluice.testkit.QueryTester
import java.time.Duration
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** A report per click: the user's clicks of the last 10 s before it, and its page's views. */
data class RecentVisit(val user: String, val page: String, val recentClicks: Long, val views: Long)

/**
 * A Kotlin processor on the state variables of [VisitState], declared by the class the Sluice
 * processor generated for it (through kapt); times are seconds on a [ManualClock].
 */
class StateVariablesKotlinTest {
    private val clock = ManualClock(0)
    private val engine = Sluice.builder().clock(clock).build()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    private val visits = object : StatefulProcessor<String, Click, RecentVisit>() {
        private lateinit var state: VisitState

        override fun init(outputMode: OutputMode, timeMode: TimeMode) {
            state = VisitState_Variables.declare(handle)
        }

        override fun handleInputRows(user: String, rows: Iterator<Click>,
                timerValues: TimerValues): Iterable<RecentVisit> = rows.asSequence().map { click ->
            val recent = state.recentClicks().get().asSequence().count().toLong()
            val views = (state.viewsPerPage().getValue(click.page) ?: 0L) + 1
            state.recentClicks().appendValue(click)
            state.viewsPerPage().updateValue(click.page, views)
            RecentVisit(user, click.page, recent, views)
        }.toList()
    }

    @Test
    fun theGeneratedVariablesKeepViewsAndForgetClicksAfterTheirTtl() {
        val perUser = clicks.toDataset()
            .groupByKey({ it.user }, String::class.java)
            .transformWithState(visits, TimeMode.PROCESSING_TIME, OutputMode.APPEND,
                RecentVisit::class.java)
        QueryTester.of(perUser.writeStream().outputMode(OutputMode.APPEND)).use { t ->
            clicks.addData(Click("ann", "/home", 1, null))
            t.expectBatch(listOf("ann", "/home", 0L, 1L))
            clock.advance(Duration.ofSeconds(6))
            clicks.addData(Click("ann", "/home", 2, null))
            t.expectBatch(listOf("ann", "/home", 1L, 2L))
            // At 12 s the click at 0 s has expired (10 s), the one at 6 s has not.
            clock.advance(Duration.ofSeconds(6))
            clicks.addData(Click("ann", "/cart", 3, null))
            t.expectBatch(listOf("ann", "/cart", 1L, 1L))
        }
    }
}
