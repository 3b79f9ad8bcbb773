package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An engine setting out of its range is refused when it is given, with the setting named. */
class EngineSettingsTest {
  @Test
  void aNegativeIdleEventIntervalIsRefused() {
    assertThatThrownBy(
        () -> Sluice.builder().noDataProgressEventInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("noDataProgressEventInterval must be zero or more, not PT-1S");
  }

  @Test
  void aNegativeProgressLogIntervalIsRefused() {
    assertThatThrownBy(() -> Sluice.builder().progressLogInterval(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("progressLogInterval must be zero or more, not PT-0.005S");
  }

  @Test
  void aDashboardPortOutsideTheRangeOfPortsIsRefused() {
    assertThatThrownBy(() -> Sluice.builder().dashboard(65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the dashboard port must be 0 (any free port) to 65535, not 65536");
    assertThatThrownBy(() -> Sluice.builder().dashboard(-1))
        .hasMessageContaining("the dashboard port");
  }
}
