package io.sluice.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash harness counts what a run lost and what it wrote twice, for rows and for totals. */
class DiscrepancyTest {
  private static final List<Object> A = List.of("k01", 5L);
  private static final List<Object> B = List.of("k02", 9L);

  @Test
  void rowsCompareAsMultisetsCopyByCopy() {
    assertThat(Discrepancy.ofRows(Map.of(A, 2L, B, 1L), Map.of(A, 2L, B, 1L)))
        .isEqualTo(new Discrepancy(0, 0));
    assertThat(Discrepancy.ofRows(Map.of(A, 2L, B, 1L), Map.of(A, 1L, B, 3L)))
        .isEqualTo(new Discrepancy(1, 2));
  }

  @Test
  void aRowNeverExpectedCountsAsDuplicated() {
    assertThat(Discrepancy.ofRows(Map.of(A, 1L), Map.of(A, 1L, B, 1L)))
        .isEqualTo(new Discrepancy(0, 1));
  }

  @Test
  void totalsCountKeysMissingOrShortAsLostAndKeysOverAsDuplicated() {
    Map<String, Totals> expected =
        Map.of("a", new Totals(2, 10), "b", new Totals(1, 4), "c", new Totals(3, 3));
    Map<String, Totals> actual = Map.of("a", new Totals(1, 6), "c", new Totals(4, 5));
    assertThat(Discrepancy.ofTotals(expected, actual)).isEqualTo(new Discrepancy(2, 1));
  }

  @Test
  void aRightCountWithAWrongSumIsLost() {
    assertThat(Discrepancy.ofTotals(Map.of("a", new Totals(2, 10)), Map.of("a", new Totals(2, 11))))
        .isEqualTo(new Discrepancy(1, 0));
  }
}
