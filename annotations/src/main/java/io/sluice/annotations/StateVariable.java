package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the state variable a method of a {@link StateVariables} interface declares, when the
 * name should not be the method's: the name is what the checkpoint keeps the values under, so a
 * method renamed in code keeps its state by naming its old variable here.
 *
 * <pre>{@code
 * @StateVariable(name = "lastCountry") // the method was lastCountry() before
 * ValueState<String> previousCountry();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StateVariable {
  /** The variable's name, unique in its interface; the method's name if empty. */
  String name() default "";
}
