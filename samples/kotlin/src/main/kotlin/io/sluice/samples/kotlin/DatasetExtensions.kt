package io.sluice.samples.kotlin

import io.sluice.api.Dataset
import io.sluice.api.FlatMapFunction
import io.sluice.api.FlatMapGroupsWithStateFunction
import io.sluice.api.GroupState
import io.sluice.api.GroupStateTimeout
import io.sluice.api.KeyValueGroupedDataset
import io.sluice.api.MapFunction
import io.sluice.api.MapGroupsWithStateFunction
import io.sluice.api.MemoryStream
import io.sluice.api.OutputMode
import io.sluice.api.Sluice

// Reified forms of the Java API calls that take a Class: the result type comes from the lambda,
// so a Kotlin caller writes `clicks.map { View(it.page) }` instead of passing View::class.java.

/** [Dataset.map] with the result class inferred from the lambda: a Kotlin data class. */
inline fun <T : Any, reified U : Any> Dataset<T>.map(noinline function: (T) -> U): Dataset<U> =
    map(MapFunction(function), U::class.java)

/** [Dataset.flatMap] with the result class inferred from the lambda. */
inline fun <T : Any, reified U : Any> Dataset<T>.flatMap(
    noinline function: (T) -> Iterable<U>,
): Dataset<U> = flatMap(FlatMapFunction(function), U::class.java)

/** [Sluice.memoryStream] for a Kotlin data class: `engine.memoryStream<Click>()`. */
inline fun <reified T : Any> Sluice.memoryStream(): MemoryStream<T> = memoryStream(T::class.java)

/**
 * [Dataset.groupByKey] with the key class inferred from the lambda: `groupByKey { it.user }`.
 * It passes the boxed class (`java.lang.Long` for a `Long` key), the class of the keys themselves.
 */
inline fun <T : Any, reified K : Any> Dataset<T>.groupByKey(
    noinline key: (T) -> K,
): KeyValueGroupedDataset<K, T> = groupByKey(MapFunction(key), K::class.javaObjectType)

/**
 * [KeyValueGroupedDataset.mapGroupsWithState] with the state and result classes inferred and the
 * function last, so that it can follow the call: the lambda names the state's type,
 * `{ key, rows, state: GroupState<Count> -> ... }`.
 */
inline fun <K : Any, V : Any, reified S : Any, reified U : Any>
KeyValueGroupedDataset<K, V>.mapGroupsWithState(
    timeout: GroupStateTimeout = GroupStateTimeout.NO_TIMEOUT,
    noinline function: (key: K, values: Iterator<V>, state: GroupState<S>) -> U,
): Dataset<U> =
    mapGroupsWithState(MapGroupsWithStateFunction(function), S::class.java, U::class.java, timeout)

/** [KeyValueGroupedDataset.flatMapGroupsWithState] the same way: the function last. */
inline fun <K : Any, V : Any, reified S : Any, reified U : Any>
KeyValueGroupedDataset<K, V>.flatMapGroupsWithState(
    outputMode: OutputMode,
    timeout: GroupStateTimeout,
    noinline function: (key: K, values: Iterator<V>, state: GroupState<S>) -> Iterable<U>,
): Dataset<U> = flatMapGroupsWithState(
    FlatMapGroupsWithStateFunction(function), outputMode, S::class.java, U::class.java, timeout,
)
