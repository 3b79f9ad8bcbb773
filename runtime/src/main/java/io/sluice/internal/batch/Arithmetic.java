package io.sluice.internal.batch;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;

/**
 * Arithmetic with Spark's ANSI-mode errors (the Spark 4 default): integer overflow and division by
 * zero fail the query instead of producing a wrong number or a silent null.
 */
public final class Arithmetic {
  private Arithmetic() {}

  public static int add(int a, int b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("INT", a + " + " + b);
    }
  }

  public static long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("BIGINT", a + " + " + b);
    }
  }

  public static int subtract(int a, int b) {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("INT", a + " - " + b);
    }
  }

  public static long subtract(long a, long b) {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("BIGINT", a + " - " + b);
    }
  }

  public static int multiply(int a, int b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("INT", a + " * " + b);
    }
  }

  public static long multiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw overflow("BIGINT", a + " * " + b);
    }
  }

  public static int negate(int a) {
    if (a == Integer.MIN_VALUE) {
      throw overflow("INT", "-(" + a + ")");
    }
    return -a;
  }

  public static long negate(long a) {
    if (a == Long.MIN_VALUE) {
      throw overflow("BIGINT", "-(" + a + ")");
    }
    return -a;
  }

  /** SQL {@code /}: always on doubles; dividing by zero is an error as in ANSI mode. */
  public static double divide(double a, double b) {
    if (b == 0) {
      throw divideByZero();
    }
    return a / b;
  }

  public static int remainder(int a, int b) {
    if (b == 0) {
      throw divideByZero();
    }
    return a % b;
  }

  public static long remainder(long a, long b) {
    if (b == 0) {
      throw divideByZero();
    }
    return a % b;
  }

  public static double remainder(double a, double b) {
    if (b == 0) {
      throw divideByZero();
    }
    return a % b;
  }

  /** SQL {@code DIV}: integral division truncating toward zero. */
  public static long integerDivide(long a, long b) {
    if (b == 0) {
      throw divideByZero();
    }
    if (a == Long.MIN_VALUE && b == -1) {
      throw overflow("BIGINT", a + " div " + b);
    }
    return a / b;
  }

  private static SluiceException overflow(String type, String operation) {
    return new SluiceException(
        ErrorKind.ARITHMETIC, "arithmetic overflow: " + operation + " does not fit in " + type);
  }

  private static SluiceException divideByZero() {
    return new SluiceException(ErrorKind.ARITHMETIC, "division by zero");
  }
}
