package io.sluice.internal.plan;

import io.sluice.api.Field;
import io.sluice.internal.analysis.Bound;

/** An output column: a bound expression and the name it gets. */
public record NamedExpression(String name, Bound expression) {
  public Field toField() {
    return expression.nullable()
        ? Field.nullable(name, expression.type())
        : Field.required(name, expression.type());
  }
}
