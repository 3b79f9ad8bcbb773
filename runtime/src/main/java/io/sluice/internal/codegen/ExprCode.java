package io.sluice.internal.codegen;

/**
 * The result of generating code for an expression: two side-effect-free Java expressions, one for
 * "is null" and one for the value, valid after the statements emitted so far.
 */
record ExprCode(String isNull, String value) {
  static ExprCode nonNull(String value) {
    return new ExprCode("false", value);
  }

  boolean canBeNull() {
    return !isNull.equals("false");
  }
}
