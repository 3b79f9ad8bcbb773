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
import io.sluice.api.QueryableState
import io.sluice.api.Sluice
import io.sluice.api.StatefulProcessor
import io.sluice.api.StatefulProcessorWithInitialState
import io.sluice.api.StreamingQuery
import io.sluice.api.TimeMode

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

/** [KeyValueGroupedDataset.transformWithState] with the output class inferred. */
inline fun <K : Any, V : Any, reified O : Any> KeyValueGroupedDataset<K, V>.transformWithState(
    processor: StatefulProcessor<K, V, O>,
    timeMode: TimeMode,
    outputMode: OutputMode,
): Dataset<O> = transformWithState(processor, timeMode, outputMode, O::class.java)

/** [KeyValueGroupedDataset.transformWithState] from an initial state, the output class inferred. */
inline fun <K : Any, V : Any, reified O : Any, S : Any>
KeyValueGroupedDataset<K, V>.transformWithState(
    processor: StatefulProcessorWithInitialState<K, V, O, S>,
    timeMode: TimeMode,
    outputMode: OutputMode,
    initialState: KeyValueGroupedDataset<K, S>,
): Dataset<O> = transformWithState(processor, timeMode, outputMode, initialState, O::class.java)

/**
 * [StreamingQuery.queryableValueState] with the key and value classes inferred:
 * `query.queryableValueState<String, Long>("count")`; boxed classes, as the state holds them.
 */
inline fun <reified K : Any, reified S : Any> StreamingQuery.queryableValueState(
    variable: String,
): QueryableState<K, S> =
    queryableValueState(variable, K::class.javaObjectType, S::class.javaObjectType)
