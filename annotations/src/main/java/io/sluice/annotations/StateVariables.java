package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the state variables of a {@code transformWithState} processor as the methods of an
 * interface, checked at build time; the Sluice annotation processor writes {@code
 * <Interface>_Variables} beside it (named as {@code <Query>_Query} is), whose {@code
 * declare(handle)} declares each variable once through the processor's {@code
 * StatefulProcessorHandle} and returns an implementation of the interface.
 *
 * <pre>{@code
 * @StateVariables
 * interface CardState {
 *   @Ttl("10 minutes") ListState<Payment> recent();
 *   @Ttl("1 hour") ValueState<String> lastCountry();
 *   MapState<String, Long> perMerchant();
 * }
 *
 * class FraudCheck extends StatefulProcessor<String, Payment, Alert> {
 *   private CardState state;
 *
 *   public void init(OutputMode outputMode, TimeMode timeMode) {
 *     state = CardState_Variables.declare(getHandle());
 *   }
 *   ...  state.recent().appendValue(payment);
 * }
 * }</pre>
 *
 * <p>Each abstract method declares one variable: no parameters, and a result of {@code
 * ValueState<T>}, {@code ListState<T>} or {@code MapState<K, V>} whose type arguments are state
 * types: {@code String}, {@code Long}, {@code Integer}, {@code Double}, {@code Boolean}, {@code
 * java.time.Instant}, or a public record (or Kotlin data class) of components of the event-type
 * column types. Default and static methods are left alone.
 *
 * <p>A variable is named after its method, and its values are kept in the checkpoint under that
 * name: renaming the method starts the variable empty after a restart, and the old values stay
 * until {@code handle.deleteIfExists(oldName)}. To rename the method and keep its state, give the
 * old name with {@link StateVariable#name}. {@link Ttl} makes values expire.
 *
 * <p>A Kotlin interface works through kapt; declare functions ({@code fun recent():
 * ListState<Click>}), not properties, whose getters would name the variables {@code getRecent}.
 *
 * <p>Call {@code declare} in {@code init} only, once per processor instance, as the handle allows
 * declarations only there; a variable's methods then refer to the key being processed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StateVariables {}
