package io.sluice.samples.kotlin

import io.sluice.api.OutputMode
import io.sluice.api.Sluice
import io.sluice.internal.codegen.StageCompiler
import io.sluice.testkit.QueryTester
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** An event-time query class declared in Kotlin, its watermark on the `@EventTime` property. */
class ViewsPerMinuteTest {
    private val engine = Sluice.create()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    private fun click(user: String, page: String, seconds: Long) =
        Click(user, page, ts = seconds * 1000, durationMs = null)

    @Test
    fun writesEachMinuteOnceOnTheStagesKaptGenerated() {
        val janinoBefore = StageCompiler.compilations()
        val writer = ViewsPerMinute_Query.over(clicks.toDataset())
            .writeStream().outputMode(OutputMode.APPEND)
        QueryTester.of(writer).use { t ->
            assertThat(t.compilers()).containsExactly("javac (build time)", "javac (build time)")
            // Watermark 0 in batch 0; then 75 - 10 = 65 s.
            clicks.addData(
                click("ann", "/home", 5), click("bot-1", "/home", 6),
                click("bob", "/home", 40), click("ann", "/cart", 75),
            )
            t.expectBatch()
            // No data, watermark 65 s: [0 s, 60 s) closes with ann's and bob's views.
            t.expectBatch(listOf(0L, "/home", 2L))
            assertThat(t.lastProgress()!!.numInputRows()).isZero()
        }
        assertThat(StageCompiler.compilations()).isEqualTo(janinoBefore)
    }
}
