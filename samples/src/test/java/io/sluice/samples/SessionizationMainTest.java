package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sessionization sample's main runs over generated clicks, prints sessions, and stops. */
class SessionizationMainTest {
  @Test
  void printsTheSessionsThatCloseAndStops() throws Exception {
    String out = MainOutput.of(() -> Sessionization.main(new String[] {"8"}));
    assertThat(out).contains("Batch: 0",
        "|user|start|end|clicks|durationMs|landingPage|exitPage|");
    // Users pause for two seconds after four: the first sessions close about five seconds in.
    assertThat(out).containsPattern("\\|user\\d\\|[-0-9 :.]+\\|[-0-9 :.]+\\|\\d+ +\\|");
    assertThat(out).containsPattern("sessions: \\d+ batches, \\d users with an open session");
  }
}
