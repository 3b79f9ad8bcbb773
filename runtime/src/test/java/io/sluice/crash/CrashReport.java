package io.sluice.crash;

/**
 * The outcome of one crash run: how often its query was killed and restarted, how many input
 * rows it was given, how many output rows (or, for the aggregations, keys) it had to commit, what
 * its committed output lost or duplicated, how fast it recovered, and where in a batch the kills
 * landed.
 */
record CrashReport(CrashKind kind, int kills, int restarts, long rows, long outputs,
    Discrepancy discrepancy, RecoveryTimes recovery, KillPoints killPoints) {

  /**
   * The run's result line: {@code crash stateless kills=20 restarts=20 rows=N outputs=M lost=0
   * duplicated=0}.
   */
  String summary() {
    return "crash " + kind.label() + " kills=" + kills + " restarts=" + restarts + " rows=" + rows
        + " outputs=" + outputs + " lost=" + discrepancy.lost() + " duplicated="
        + discrepancy.duplicated();
  }

  /** The median recovery times of the restarts. */
  String recoverySummary() {
    return "crash " + kind.label() + " recovery median " + recovery.medians();
  }

  /** Where in a batch the kills landed. */
  String killPointSummary() {
    return "crash " + kind.label() + " kill points " + killPoints.summary();
  }
}
