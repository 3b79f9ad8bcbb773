package io.sluice.internal.connector.kafka;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.Options;
import io.sluice.internal.plan.InputShare;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The partitions one instance of a scaled-out query reads, by source option {@code instance}:
 * {@code instance=0/2} is instance 0 of 2, which reads partition p of each selected topic when p
 * mod 2 is 0. Every instance computes the same rule alone, so no instance talks to another, and a
 * partition added later goes to an instance by the same rule. Each instance has its own
 * checkpoint, and so its own offsets and state; the share is part of the source's description,
 * so a checkpoint refuses to run with another share, which would move partitions away from their
 * offsets and state.
 *
 * <pre>{@code
 * // the same query, started twice, each with its own checkpoint:
 * engine.readStream().format("kafka").option("subscribe", "clicks")
 *     .option("instance", "0/2")  // and "1/2" in the other process
 *     ...
 * }</pre>
 *
 * <p>Kafka's default partitioner puts records with equal keys in one partition, so state keyed by
 * the record key is whole in one instance; the query is refused at start if it keeps state by
 * anything else ({@link io.sluice.internal.plan.CoPartitioning}). Records without a key, and
 * records a producer put in a partition of its choosing, are not kept together. Adding
 * partitions to a topic changes which partition a key goes to, so a key's later records can
 * reach another instance than its state.
 *
 * <p>A consumer group does not assign the partitions: a rebalance would move a partition to an
 * instance whose checkpoint has neither its offsets nor its keys' state, and nothing would move
 * them. The consumer options that ask for group assignment are refused; {@code kafka.group.id}
 * is passed on (brokers may authorize by it) but splits nothing.
 */
public record PartitionShare(int instance, int instances) {
  /** The source option. */
  public static final String OPTION = "instance";

  private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

  /** Consumer settings that only a group-managed assignment uses. */
  private static final Set<String> GROUP_ASSIGNMENT = Set.of("partition.assignment.strategy",
      "group.instance.id", "group.protocol", "group.remote.assignor");

  /**
   * The share the options give; null when they give none, or a share of 1, which is all
   * partitions.
   */
  public static @Nullable PartitionShare of(Options options) {
    refuseGroupAssignment(options);
    String text = options.get(OPTION);
    if (text == null) {
      return null;
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches() || Integer.parseInt(m.group(2)) == 0
        || Integer.parseInt(m.group(1)) >= Integer.parseInt(m.group(2))) {
      throw options.invalid(OPTION, text, "i/n, this instance's number i (from 0) of n"
          + " instances of the query, e.g. 0/2 and 1/2 for two");
    }
    if (options.get("assign") != null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "options 'instance' and 'assign'"
          + " cannot be used together: 'assign' already names the partitions this instance"
          + " reads; 'instance' splits those of 'subscribe' or 'subscribePattern'");
    }
    int count = Integer.parseInt(m.group(2));
    return count == 1 ? null : new PartitionShare(Integer.parseInt(m.group(1)), count);
  }

  /**
   * The share as the plan's rule sees it, or null for all of the input; {@code keyColumn} is
   * the record key's column.
   */
  public static @Nullable InputShare forPlanning(Options options, String keyColumn) {
    PartitionShare share = of(options);
    return share == null ? null : share.planned(keyColumn);
  }

  /** The share as the plan's rule sees it: split by the record key, in {@code keyColumn}. */
  InputShare planned(String keyColumn) {
    return new InputShare(instance, instances, keyColumn,
        "partition p of each topic goes to instance p mod " + instances);
  }

  /** Whether this instance reads {@code partition}. */
  public boolean owns(TopicPartition partition) {
    return partition.partition() % instances == instance;
  }

  /** This instance's partitions among {@code partitions}, in the same order. */
  Set<TopicPartition> owned(
      Set<TopicPartition> partitions) {
    Set<TopicPartition> out = new TreeSet<>(PartitionOffsets.ORDER);
    partitions.stream().filter(this::owns).forEach(out::add);
    return out;
  }

  /**
   * This instance's entries of offsets or times given per partition, so that every instance can
   * be given the same option naming all partitions.
   */
  <V> Map<TopicPartition, V> owned(
      Map<TopicPartition, V> perPartition) {
    Map<TopicPartition, V> out = new TreeMap<>(PartitionOffsets.ORDER);
    perPartition.forEach((tp, v) -> {
      if (owns(tp)) {
        out.put(tp, v);
      }
    });
    return out;
  }

  private static void refuseGroupAssignment(Options options) {
    for (String key : options.asMap().keySet()) {
      String setting = key.toLowerCase(Locale.ROOT).startsWith("kafka.")
          ? key.substring("kafka.".length()) : "";
      if (GROUP_ASSIGNMENT.contains(setting)) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "Kafka option '" + setting + "' is"
            + " not supported: Sluice assigns partitions itself and never lets a consumer group"
            + " move them, because each instance's offsets and state live in its own"
            + " checkpoint, where another instance cannot find them. To split partitions"
            + " between instances of a query, give each the source option instance=i/n");
      }
    }
  }
}
