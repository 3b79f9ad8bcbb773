package io.sluice.internal.plan;

/**
 * The share of its input that one instance of a scaled-out query reads: instance {@code
 * instance} of {@code instances}, each started with the same query and its own checkpoint. The
 * input's producers spread rows over the instances by {@code keyColumn} (Kafka's partitioner by
 * the record key), so rows with equal values of that column reach one instance, and only state
 * keyed by that column is whole in each instance ({@link CoPartitioning}).
 *
 * @param rule how rows are spread, for messages: {@code partition p of each topic goes to
 *     instance p mod 2}
 */
public record InputShare(int instance, int instances, String keyColumn, String rule) {
  /** As descriptions and messages show it: {@code instance 0/2}. */
  public String label() {
    return "instance " + instance + "/" + instances;
  }
}
