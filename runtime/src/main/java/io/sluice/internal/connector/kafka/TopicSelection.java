package io.sluice.internal.connector.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions a Kafka source reads, chosen as in Spark by exactly one of {@code subscribe}
 * (topics, comma-separated), {@code subscribePattern} (a regular expression found in topic
 * names) or {@code assign} (JSON partitions per topic). Partitions are looked up again on every
 * trigger, so a topic's new partitions, and a pattern's new topics, are read too.
 */
sealed interface TopicSelection {
  /**
   * The partitions this selection stands for now, in {@link PartitionOffsets#ORDER}, asked of
   * the broker each time, so that new ones are seen at once.
   */
  Set<TopicPartition> partitions(Admin admin);

  /** As Spark shows it: {@code Subscribe[clicks, views]}. */
  String description();

  /** Topics by name. */
  record Subscribe(List<String> topics) implements TopicSelection {
    @Override
    public Set<TopicPartition> partitions(Admin admin) {
      return partitionsOf(admin, topics, tp -> true);
    }

    @Override
    public String description() {
      return "Subscribe[" + String.join(", ", topics) + "]";
    }
  }

  /** Every topic whose name contains a match of the pattern. */
  record SubscribePattern(Pattern pattern) implements TopicSelection {
    @Override
    public Set<TopicPartition> partitions(Admin admin) {
      // Spark searches the name (find), it does not match all of it: "orders" takes orders-eu.
      List<String> topics = KafkaCalls.get(admin.listTopics().names()).stream()
          .filter(t -> pattern.matcher(t).find()).toList();
      return partitionsOf(admin, topics, tp -> true);
    }

    @Override
    public String description() {
      return "SubscribePattern[" + pattern.pattern() + "]";
    }
  }

  /** Given partitions; one that does not exist is left out. */
  record Assign(Set<TopicPartition> assigned) implements TopicSelection {
    @Override
    public Set<TopicPartition> partitions(Admin admin) {
      Set<String> topics = new TreeSet<>();
      assigned.forEach(tp -> topics.add(tp.topic()));
      return partitionsOf(admin, List.copyOf(topics), assigned::contains);
    }

    @Override
    public String description() {
      List<String> names = new ArrayList<>();
      Set<TopicPartition> sorted = new TreeSet<>(PartitionOffsets.ORDER);
      sorted.addAll(assigned);
      sorted.forEach(tp -> names.add(tp.toString()));
      return "Assign[" + String.join(", ", names) + "]";
    }
  }

  /**
   * The partitions of {@code selection} that one instance of a scaled-out query reads ({@link
   * PartitionShare}); new ones are split by the same rule as they come.
   */
  record Shared(TopicSelection selection, PartitionShare share) implements TopicSelection {
    @Override
    public Set<TopicPartition> partitions(Admin admin) {
      return share.owned(selection.partitions(admin));
    }

    @Override
    public String description() {
      return selection.description() + ", " + share.planned("key").label();
    }
  }

  /**
   * The selection the options make, with Spark's messages for none, several or an empty one,
   * narrowed to this instance's share if option {@code instance} gives one.
   */
  static TopicSelection of(Options options) {
    TopicSelection chosen = chosen(options);
    PartitionShare share = PartitionShare.of(options);
    return share == null ? chosen : new Shared(chosen, share);
  }

  private static TopicSelection chosen(Options options) {
    String subscribe = options.get("subscribe");
    String pattern = options.get("subscribePattern");
    String assign = options.get("assign");
    long given = Arrays.asList(subscribe, pattern, assign).stream()
        .filter(java.util.Objects::nonNull).count();
    if (given == 0) {
      throw invalid("One of the following options must be specified for Kafka source:"
          + " subscribe, subscribepattern, assign. See the docs for more details.");
    }
    if (given > 1) {
      throw invalid("Only one of the following options can be specified for Kafka source:"
          + " subscribe, subscribepattern, assign. See the docs for more details.");
    }
    if (subscribe != null) {
      List<String> topics = Arrays.stream(subscribe.split(",")).map(String::trim)
          .filter(t -> !t.isEmpty()).toList();
      if (topics.isEmpty()) {
        throw invalid("No topics to subscribe to as specified value for option 'subscribe' is '"
            + subscribe + "'");
      }
      return new Subscribe(topics);
    }
    if (pattern != null) {
      if (pattern.isBlank()) {
        throw invalid("Pattern to subscribe is empty as specified value for option"
            + " 'subscribePattern' is '" + pattern + "'");
      }
      try {
        return new SubscribePattern(Pattern.compile(pattern.trim()));
      } catch (PatternSyntaxException e) {
        throw invalid("option 'subscribePattern' is not a regular expression: " + e.getMessage());
      }
    }
    if (!assign.trim().startsWith("{")) {
      throw invalid("No topicpartitions to assign as specified value for option 'assign' is '"
          + assign + "'");
    }
    return new Assign(assigned(assign));
  }

  /** The partitions of {@code topics} that {@code wanted} accepts. */
  private static Set<TopicPartition> partitionsOf(Admin admin, List<String> topics,
      java.util.function.Predicate<TopicPartition> wanted) {
    Set<TopicPartition> out = new TreeSet<>(PartitionOffsets.ORDER);
    if (topics.isEmpty()) {
      return out;
    }
    Map<String, TopicDescription> described = KafkaCalls.get(
        admin.describeTopics(topics).allTopicNames());
    for (TopicDescription d : described.values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        TopicPartition tp = new TopicPartition(d.name(), p.partition());
        if (wanted.test(tp)) {
          out.add(tp);
        }
      }
    }
    return out;
  }

  /** {@code {"topicA":[0,1],"topicB":[2,4]}}. */
  private static Set<TopicPartition> assigned(String json) {
    Set<TopicPartition> out = new TreeSet<>(PartitionOffsets.ORDER);
    SluiceException malformed = invalid("Expected e.g. {\"topicA\":[0,1],\"topicB\":[0,1]},"
        + " got " + json);
    try (JsonParser p = new JsonFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String topic = p.currentName();
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw malformed;
        }
        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
          out.add(new TopicPartition(topic, p.getIntValue()));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
          throw malformed;
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw malformed;
      }
    } catch (java.io.IOException e) {
      throw malformed;
    }
    return out;
  }

  private static SluiceException invalid(String message) {
    return new SluiceException(ErrorKind.INVALID_OPTION, message);
  }
}
