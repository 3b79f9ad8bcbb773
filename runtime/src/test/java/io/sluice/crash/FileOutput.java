package io.sluice.crash;

import java.util.List;
import java.util.Map;

/** The output of a kind that writes files: to the JSON file sink, or batch files of its own. */
record FileOutput(CrashKind kind, CrashFolders folders) implements CrashOutput {

  @Override
  public Map<List<Object>, Long> rows() {
    return CommittedOutput.rows(kind, folders);
  }

  @Override
  public boolean wrote(long batchId) {
    return CommittedOutput.sinkWrote(kind, folders, batchId);
  }
}
