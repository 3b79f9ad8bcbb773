package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fraud sample's main runs over generated payments, prints alerts, and stops. */
class FraudDetectionMainTest {
  @Test
  void printsAnAlertOfEachRuleForTheCardThatBreaksItAndStops() throws Exception {
    String out = MainOutput.of(() -> FraudDetection.main(new String[] {"8"}));
    assertThat(out).contains("Batch: 0")
        .containsPattern("\\|card *\\|rule *\\|at *\\|detail *\\|");
    // Each bad card breaks its rule within the first four seconds of payments; mutes of 30 s
    // keep it to one alert each. card-66's fifth payment is the first one too many.
    assertThat(out).containsPattern(alert("card-66", "velocity", "5 payments in 5 s"))
        .containsPattern(alert("card-77", "amount", "1[4-7]\\d\\d\\.\\d\\d in 5 s"))
        .containsPattern(alert("card-88", "travel", "DE then US within 10 s"));
    assertThat(out).containsPattern("fraud-alerts: \\d+ batches, \\d+ state rows");
  }

  /** A row of the console table, whose cells are padded on the right. */
  private static String alert(String card, String rule, String detail) {
    return "\\|" + card + " *\\|" + rule + " *\\|[-0-9 :.]+\\|" + detail + " *\\|";
  }
}
