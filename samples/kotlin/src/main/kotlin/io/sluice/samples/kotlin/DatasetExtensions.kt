package io.sluice.samples.kotlin

import io.sluice.api.Dataset
import io.sluice.api.FlatMapFunction
import io.sluice.api.MapFunction
import io.sluice.api.MemoryStream
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
