package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ConsoleProgress;
import io.sluice.api.MemoryStream;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runtime declares Micrometer optional, so an application that does not add it, as the
 * samples do not, runs queries and their listeners without it on the class path.
 */
class WithoutMicrometerTest {
  @Test
  void queriesAndListenersRunWithoutMicrometerOnTheClassPath() throws Exception {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ManualClock clock = new ManualClock(0);
    try (Sluice engine = Sluice.builder().clock(clock).listener(ConsoleProgress.everyInterval(
        new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofSeconds(5), clock))
        .build()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      StreamingQuery query = clicks.toDataset().groupBy("page").count().writeStream()
          .queryName("pages").outputMode("update").format("memory").start();
      clicks.addData(new Click("ann", "home", 1), new Click("bob", "home", 2));
      query.processAllAvailable();
      query.stop();
    } // closing the engine lets the listeners take every event
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .matches("pages: batch 0 \\| 2 rows \\| [\\d,]+ rows/s \\| state 1 rows\\R");
  }
}
