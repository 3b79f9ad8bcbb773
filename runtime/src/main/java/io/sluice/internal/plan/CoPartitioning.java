package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The rule for a query that reads only a share of its input ({@link InputShare}), one of several
 * instances each with its own checkpoint and state: every keyed stateful operator must be keyed
 * by the input's key column, which decides the instance a row goes to, so that all rows of a
 * group reach one instance; event-time windows may be key parts beside it. Checked before a query
 * starts; a query that breaks it would write one partial result per instance for a group.
 *
 * <pre>{@code
 * kafka.option("instance", "0/2").load()
 *     .groupBy(window(col("timestamp"), "1 minute"), expr("CAST(key AS STRING)")).count() // fine
 * kafka.option("instance", "0/2").load()
 *     .groupBy(expr("CAST(value AS STRING)")).count() // refused: values of one group sit in
 *                                                       // partitions of different instances
 * }</pre>
 *
 * <p>Every input of such a query must read the same share: an input read whole would be read,
 * and written again, by every instance.
 */
public final class CoPartitioning {
  private CoPartitioning() {}

  /** Refuses {@code root} if it reads a share and keeps state by anything but the key. */
  public static void check(LogicalPlan root) {
    List<LogicalPlan.Scan> scans = new ArrayList<>();
    collectScans(root, scans);
    InputShare share = commonShare(scans);
    if (share != null) {
      checkOperators(root, share, scans.get(0));
    }
  }

  private static void collectScans(LogicalPlan plan, List<LogicalPlan.Scan> out) {
    if (plan instanceof LogicalPlan.Scan scan) {
      out.add(scan);
    }
    plan.children().forEach(child -> collectScans(child, out));
  }

  /** The share every input reads; null when none reads a share; an error when they differ. */
  private static @Nullable InputShare commonShare(List<LogicalPlan.Scan> scans) {
    if (scans.isEmpty()) {
      return null;
    }
    InputShare first = scans.get(0).source().share();
    for (LogicalPlan.Scan scan : scans) {
      InputShare share = scan.source().share();
      if (share == null ? first != null : !sameShare(share, first)) {
        throw mixedShares(scans.get(0), scan);
      }
    }
    return first;
  }

  private static boolean sameShare(InputShare share, @Nullable InputShare other) {
    return other != null && share.instance() == other.instance()
        && share.instances() == other.instances();
  }

  private static SluiceException mixedShares(LogicalPlan.Scan first, LogicalPlan.Scan other) {
    return new SluiceException(ErrorKind.NOT_CO_PARTITIONED, "the inputs of a query must all"
        + " read the same share, but " + first.description() + " reads " + readsWhat(first)
        + " and " + other.description() + " reads " + readsWhat(other) + ": an input read whole"
        + " is read, and its rows written again, by every instance. Give every input the same"
        + " instance option, or none");
  }

  private static String readsWhat(LogicalPlan.Scan scan) {
    InputShare share = scan.source().share();
    return share == null ? "all of its input" : share.label() + "'s share";
  }

  private static void checkOperators(LogicalPlan plan, InputShare share, LogicalPlan.Scan in) {
    if (plan instanceof LogicalPlan.Aggregate a) {
      checkAggregate(a, share, in);
    } else if (plan instanceof LogicalPlan.Deduplicate d) {
      checkDeduplicate(d, share, in);
    } else if (plan instanceof LogicalPlan.StreamJoin j) {
      checkJoin(j, share, in);
    } else if (plan instanceof LogicalPlan.GroupsWithState g) {
      throw keyedByFunction(g.flat() ? "flatMapGroupsWithState" : "mapGroupsWithState", share,
          in);
    } else if (plan instanceof LogicalPlan.TransformWithState) {
      throw keyedByFunction("transformWithState", share, in);
    }
    plan.children().forEach(child -> checkOperators(child, share, in));
  }

  private static void checkAggregate(LogicalPlan.Aggregate a, InputShare share,
      LogicalPlan.Scan in) {
    if (a.groupings().isEmpty()) {
      throw new SluiceException(ErrorKind.NOT_CO_PARTITIONED, "a global aggregation (no"
          + " grouping key) cannot run on a share of the input: " + sharing(share, in) + ","
          + " so each instance would aggregate its own rows and write its own total. Group by"
          + " the record key (" + keyExamples(share) + "), or run one instance to read all"
          + " of the input");
    }
    if (a.groupings().stream().noneMatch(g -> KeyLineage.isKey(a.child(), g.expression()))) {
      List<String> keys = a.groupings().stream().map(NamedExpression::name).toList();
      List<String> notWindows = a.groupings().stream()
          .filter(g -> g.expression().type() != DataType.WINDOW)
          .map(NamedExpression::name).toList();
      throw notByKey("groupBy(" + String.join(", ", keys) + ")", notWindows, share, in);
    }
  }

  private static void checkDeduplicate(LogicalPlan.Deduplicate d, InputShare share,
      LogicalPlan.Scan in) {
    if (d.keys().stream().noneMatch(k -> KeyLineage.isKey(d.child(), k))) {
      List<String> keys = d.keys().stream()
          .map(k -> d.child().schema().field(k).name()).toList();
      throw notByKey((d.withinWatermark() ? "dropDuplicatesWithinWatermark(" : "dropDuplicates(")
          + String.join(", ", keys) + ")", keys, share, in);
    }
  }

  /** A join matches rows with equal key parts: one part must be the key on both sides. */
  private static void checkJoin(LogicalPlan.StreamJoin j, InputShare share,
      LogicalPlan.Scan in) {
    LogicalPlan left = j.child().children().get(0);
    LogicalPlan right = j.child().children().get(1);
    int parts = j.plan().keyTypes().size();
    boolean onKeys = IntStream.rangeClosed(1, parts)
        .anyMatch(k -> KeyLineage.isKey(left, k) && KeyLineage.isKey(right, k));
    if (!onKeys) {
      List<String> keys = new ArrayList<>();
      for (int k = 0; k < parts; k++) {
        keys.add(j.plan().leftKeyNames().get(k) + " = " + j.plan().rightKeyNames().get(k));
      }
      throw notByKey("the stream-stream join on " + String.join(" AND ", keys),
          j.plan().leftKeyNames(), share, in);
    }
  }

  private static SluiceException notByKey(String operator, List<String> keys,
      InputShare share, LogicalPlan.Scan in) {
    String by = String.join(", ", keys);
    return new SluiceException(ErrorKind.NOT_CO_PARTITIONED, operator + " keeps state by "
        + by + ", not by the record key, but " + sharing(share, in) + ": rows with equal " + by
        + " can sit in partitions of different instances, and each instance would keep its own"
        + " state for them and write its own partial result. Key it by the record key ("
        + keyExamples(share) + "), with a window beside it if you like; or first write the input"
        + " to a topic keyed by " + by + ", and read that topic");
  }

  private static SluiceException keyedByFunction(String operator, InputShare share,
      LogicalPlan.Scan in) {
    return new SluiceException(ErrorKind.NOT_CO_PARTITIONED, operator + " keeps state by the"
        + " key that groupByKey's function returns, which Sluice cannot trace to the record key,"
        + " but " + sharing(share, in) + ": rows of one group could sit in partitions of"
        + " different instances. On a share of the input, keep state with groupBy(...) by the"
        + " record key (" + keyExamples(share) + "); or run one instance to read all of the"
        + " input");
  }

  private static String sharing(InputShare share, LogicalPlan.Scan in) {
    return "this query reads only " + share.label() + "'s share of its input ("
        + in.description() + "; " + share.rule() + ")";
  }

  private static String keyExamples(InputShare share) {
    return share.keyColumn() + ", or CAST(" + share.keyColumn() + " AS STRING)";
  }
}
