package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public static method of a {@link StreamQuery} class callable from that query's
 * expressions, by its name (or {@link #name}). Parameters and result use the engine's Java types:
 * {@code long}, {@code int}, {@code double}, {@code boolean}, {@code String}. The method is called
 * directly from generated code, only with non-null arguments; a null argument makes the result
 * null.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SqlFunction {
  /** The name expressions use; the method's name if empty. */
  String name() default "";
}
