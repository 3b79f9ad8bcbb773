package io.sluice.internal.connector.kafka;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.Options;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Where a Kafka read starts or ends, as the options say it in Spark: {@code earliest}, {@code
 * latest}, offsets per partition ({@code -2} earliest, {@code -1} latest), one timestamp for
 * every partition, or timestamps per partition (the first offset at or after it).
 */
sealed interface OffsetSpec {
  long EARLIEST = -2;
  long LATEST = -1;

  /** The offsets this spec names for {@code partitions}, resolved against the broker. */
  Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer, Set<TopicPartition> partitions);

  /** The first or the last offset of every partition. */
  record Edge(boolean earliest) implements OffsetSpec {
    @Override
    public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer,
        Set<TopicPartition> partitions) {
      return earliest ? consumer.beginningOffsets(partitions) : consumer.endOffsets(partitions);
    }
  }

  /** Offsets per partition; these must name exactly the partitions read. */
  record Given(PartitionOffsets offsets, String option) implements OffsetSpec {
    @Override
    public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer,
        Set<TopicPartition> partitions) {
      requireAll(offsets.offsets().keySet(), partitions, option);
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> out = new HashMap<>();
      offsets.offsets().forEach((tp, o) -> out.put(tp, o == EARLIEST ? earliest.get(tp)
          : o == LATEST ? latest.get(tp) : o));
      return out;
    }
  }

  /**
   * The first offset whose timestamp is at or after a time, per partition ({@code times}) or
   * for all ({@code all}); where there is none, the latest offset if {@code orLatest}, else an
   * error.
   */
  record ByTime(@Nullable Long all, Map<TopicPartition, Long> times, boolean orLatest,
      String option) implements OffsetSpec {
    @Override
    public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer,
        Set<TopicPartition> partitions) {
      Map<TopicPartition, Long> wanted = new HashMap<>();
      if (all != null) {
        partitions.forEach(tp -> wanted.put(tp, all));
      } else {
        requireAll(times.keySet(), partitions, option);
        wanted.putAll(times);
      }
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(wanted);
      Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> out = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp hit = found.get(tp);
        if (hit != null) {
          out.put(tp, hit.offset());
        } else if (orLatest) {
          out.put(tp, latest.get(tp));
        } else {
          throw new SluiceException(ErrorKind.INVALID_OPTION, "No offset matched from request of"
              + " topic-partition " + tp + " and timestamp " + wanted.get(tp) + ".");
        }
      }
      return out;
    }
  }

  private static void requireAll(Set<TopicPartition> specified, Set<TopicPartition> assigned,
      String option) {
    if (!specified.equals(assigned)) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "If " + option + " contains specific"
          + " offsets, you must specify all TopicPartitions. Use -1 for latest, -2 for earliest,"
          + " if you don't care. Specified: " + new java.util.TreeSet<>(names(specified))
          + " Assigned: " + new java.util.TreeSet<>(names(assigned)));
    }
  }

  private static Set<String> names(Set<TopicPartition> partitions) {
    Set<String> out = new java.util.TreeSet<>();
    partitions.forEach(tp -> out.add(tp.toString()));
    return out;
  }

  /**
   * Where a read starts, by Spark's precedence of the starting options (a timestamp, then
   * timestamps per partition, then offsets); with none, the earliest offsets if {@code
   * earliestByDefault} (a bounded read), else the latest (a stream).
   */
  static OffsetSpec starting(Options options, boolean earliestByDefault) {
    return of(options, "starting", earliestByDefault);
  }

  /** Where a bounded read ends; {@code latest} if no option says. */
  static OffsetSpec ending(Options options) {
    return of(options, "ending", false);
  }

  private static OffsetSpec of(Options options, String which, boolean earliestByDefault) {
    boolean orLatest = options.get(which + "OffsetsByTimestampStrategy", "error")
        .equalsIgnoreCase("latest") || which.equals("ending");
    String timestamp = options.get(which + "Timestamp");
    if (timestamp != null) {
      try {
        return new ByTime(Long.parseLong(timestamp.trim()), Map.of(), orLatest,
            which + "Timestamp");
      } catch (NumberFormatException e) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "Expected a single long value, got "
            + timestamp);
      }
    }
    String byTime = options.get(which + "OffsetsByTimestamp");
    if (byTime != null) {
      return new ByTime(null, owned(options, PartitionOffsets.parse(byTime,
          "option " + which + "OffsetsByTimestamp")).offsets(), orLatest,
          which + "OffsetsByTimestamp");
    }
    String text = options.get(which + "Offsets");
    if (text == null) {
      return new Edge(earliestByDefault);
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "earliest":
        return new Edge(true);
      case "latest":
        return new Edge(false);
      default:
        return new Given(owned(options, PartitionOffsets.parse(text,
            "option " + which + "Offsets")), which + "Offsets");
    }
  }

  /**
   * The partitions of {@code given} this instance reads, when it reads a share: every instance
   * can so be given one option that names all partitions.
   */
  private static PartitionOffsets owned(Options options, PartitionOffsets given) {
    PartitionShare share = PartitionShare.of(options);
    return share == null ? given : new PartitionOffsets(share.owned(given.offsets()));
  }
}
