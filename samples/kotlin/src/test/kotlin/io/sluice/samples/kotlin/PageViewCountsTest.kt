package io.sluice.samples.kotlin

import io.sluice.api.OutputMode
import io.sluice.api.Sluice
import io.sluice.internal.codegen.StageCompiler
import io.sluice.testkit.QueryTester
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/** A query class declared in Kotlin, compiled at build time through kapt. */
class PageViewCountsTest {
    private val engine = Sluice.create()
    private val clicks = engine.memoryStream<Click>()

    @AfterEach
    fun close() = engine.close()

    @Test
    fun runsOnTheStagesKaptGeneratedWithoutCompilingAnything() {
        val janinoBefore = StageCompiler.compilations()
        val writer = PageViewCounts_Query.over(clicks.toDataset())
            .writeStream().outputMode(OutputMode.UPDATE)
        QueryTester.of(writer).use { t ->
            clicks.addData(
                Click("ann", "/home", ts = 1, durationMs = 2_000),
                Click("bob", "/home", ts = 2, durationMs = null),
                Click("bot-7", "/home", ts = 3, durationMs = 10),
                Click("ann", "/cart", ts = 4, durationMs = 1_000),
            )
            t.expectBatch(listOf("/home", 2L, 2L, 2.0), listOf("/cart", 1L, 1L, 1.0))
            assertThat(t.generatedSource()).contains("class PageViewCounts_Stage1")
        }
        assertThat(StageCompiler.compilations()).isEqualTo(janinoBefore)
    }
}
