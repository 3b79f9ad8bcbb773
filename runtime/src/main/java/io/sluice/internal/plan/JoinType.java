package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The kinds of join, named as Spark names them in {@code join(other, condition, "left")}. */
public enum JoinType {
  INNER("Inner"),
  LEFT_OUTER("LeftOuter"),
  RIGHT_OUTER("RightOuter"),
  FULL_OUTER("FullOuter"),
  LEFT_SEMI("LeftSemi"),
  LEFT_ANTI("LeftAnti");

  private final String sparkName;

  JoinType(String sparkName) {
    this.sparkName = sparkName;
  }

  /** The name Spark's messages give it: {@code LeftOuter}. */
  public String sparkName() {
    return sparkName;
  }

  /** The join type a Spark join-type string names, in any case, with or without underscores. */
  public static JoinType parse(String text) {
    switch (text.toLowerCase(Locale.ROOT).replace("_", "")) {
      case "inner":
      case "cross":
        return INNER;
      case "left":
      case "leftouter":
        return LEFT_OUTER;
      case "right":
      case "rightouter":
        return RIGHT_OUTER;
      case "outer":
      case "full":
      case "fullouter":
        return FULL_OUTER;
      case "leftsemi":
      case "semi":
        return LEFT_SEMI;
      case "leftanti":
      case "anti":
        return LEFT_ANTI;
      default:
        throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "Unsupported join type '" + text
            + "'. Supported join types include: 'inner', 'outer', 'full', 'fullouter',"
            + " 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right',"
            + " 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti',"
            + " 'cross'.");
    }
  }

  /** Whether the join emits the left's rows that match nothing, with nulls for the right's. */
  public boolean keepsUnmatchedLeft() {
    return this == LEFT_OUTER || this == FULL_OUTER;
  }

  /** Whether the join emits the right's rows that match nothing, with nulls for the left's. */
  public boolean keepsUnmatchedRight() {
    return this == RIGHT_OUTER || this == FULL_OUTER;
  }

  /** The joined columns: both sides' (nullable where a side may not match), or the left's. */
  public Schema schema(Schema left, Schema right) {
    if (this == LEFT_SEMI || this == LEFT_ANTI) {
      return left;
    }
    List<Field> fields = new ArrayList<>();
    boolean leftMayMiss = keepsUnmatchedRight();
    boolean rightMayMiss = keepsUnmatchedLeft();
    for (Field f : left.fields()) {
      fields.add(leftMayMiss ? f.asNullable() : f);
    }
    for (Field f : right.fields()) {
      fields.add(rightMayMiss ? f.asNullable() : f);
    }
    return Schema.of(fields);
  }
}
