package io.sluice.internal.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.connector.Options;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Option {@code instance=i/n}: the rule by which each instance of a scaled-out query picks its
 * partitions, computed alone and the same way by every instance, and the options it refuses.
 */
class PartitionShareTest {
  private static Options options(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new Options("kafka source", map);
  }

  private static PartitionShare share(String instance) {
    return PartitionShare.of(options("subscribe", "clicks,views", "instance", instance));
  }

  private static Set<TopicPartition> partitions(String topic, int count) {
    Set<TopicPartition> out = new java.util.TreeSet<>(PartitionOffsets.ORDER);
    for (int p = 0; p < count; p++) {
      out.add(new TopicPartition(topic, p));
    }
    return out;
  }

  @Test
  void partitionPOfEveryTopicGoesToInstancePModN() {
    Set<TopicPartition> all = partitions("clicks", 5);
    all.addAll(partitions("views", 2));
    assertThat(share("0/2").owned(all)).containsExactly(new TopicPartition("clicks", 0),
        new TopicPartition("clicks", 2), new TopicPartition("clicks", 4),
        new TopicPartition("views", 0));
    assertThat(share("1/2").owned(all)).containsExactly(new TopicPartition("clicks", 1),
        new TopicPartition("clicks", 3), new TopicPartition("views", 1));
  }

  @Test
  void everyPartitionHasExactlyOneInstanceWhateverTheCounts() {
    Set<TopicPartition> all = partitions("clicks", 7);
    for (int n = 2; n <= 4; n++) {
      Set<TopicPartition> seen = new java.util.HashSet<>();
      int total = 0;
      for (int i = 0; i < n; i++) {
        Set<TopicPartition> owned = share(i + "/" + n).owned(all);
        seen.addAll(owned);
        total += owned.size();
      }
      assertThat(seen).isEqualTo(all);
      assertThat(total).as("no partition read twice with %d instances", n).isEqualTo(7);
    }
  }

  @Test
  void aPartitionAddedLaterGoesByTheSameRule() {
    assertThat(share("1/3").owns(new TopicPartition("clicks", 7))).isTrue();
    assertThat(share("1/3").owns(new TopicPartition("clicks", 8))).isFalse();
  }

  @Test
  void offsetsGivenForEveryPartitionAreNarrowedToTheInstances() {
    Map<TopicPartition, Long> given = Map.of(new TopicPartition("clicks", 0), 5L,
        new TopicPartition("clicks", 1), 7L);
    assertThat(share("1/2").owned(given)).containsOnlyKeys(new TopicPartition("clicks", 1));
  }

  @Test
  void noOptionOrOneInstanceMeansEveryPartition() {
    assertThat(PartitionShare.of(options("subscribe", "clicks"))).isNull();
    assertThat(share("0/1")).isNull();
    assertThat(PartitionShare.forPlanning(options("subscribe", "clicks", "instance", "0/1"),
        "key")).isNull();
  }

  @Test
  void thePlanIsToldTheRuleAndTheKeyColumn() {
    var planned = PartitionShare.forPlanning(options("subscribe", "c", "instance", "1/4"), "key");
    assertThat(planned.label()).isEqualTo("instance 1/4");
    assertThat(planned.keyColumn()).isEqualTo("key");
    assertThat(planned.rule()).isEqualTo("partition p of each topic goes to instance p mod 4");
  }

  @Test
  void refusesAnInstanceOutsideItsCountOrNotWrittenIOverN() {
    for (String bad : new String[] {"2/2", "0/0", "-1/2", "1", "first of two", "0/2/4"}) {
      assertThatThrownBy(() -> share(bad)).as(bad).hasMessageContaining(
          "kafka source option 'instance' is '" + bad + "' but must be i/n, this instance's"
              + " number i (from 0) of n instances of the query, e.g. 0/2 and 1/2 for two");
    }
  }

  @Test
  void refusesAShareOfPartitionsAssignedByHand() {
    assertThatThrownBy(() -> PartitionShare.of(options("assign", "{\"clicks\":[0,1]}",
        "instance", "0/2"))).hasMessageContaining("options 'instance' and 'assign' cannot be"
            + " used together: 'assign' already names the partitions this instance reads");
  }

  @Test
  void refusesConsumerSettingsOfAGroupManagedAssignment() {
    for (String setting : new String[] {"partition.assignment.strategy", "group.instance.id",
        "group.protocol", "group.remote.assignor"}) {
      assertThatThrownBy(() -> PartitionShare.of(options("subscribe", "clicks",
          "kafka." + setting, "x"))).as(setting).hasMessageContaining("Kafka option '" + setting
              + "' is not supported: Sluice assigns partitions itself and never lets a consumer"
              + " group move them, because each instance's offsets and state live in its own"
              + " checkpoint").hasMessageContaining("give each the source option instance=i/n");
    }
  }

  @Test
  void aGroupIdAloneIsPassedOnForTheBrokersAuthorization() {
    assertThat(PartitionShare.of(options("subscribe", "clicks", "kafka.group.id", "team-a")))
        .isNull();
  }
}
