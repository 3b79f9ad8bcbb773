package io.sluice.api;

import com.palantir.javapoet.ClassName;
import io.sluice.internal.codegen.QueryNaming;
import org.jspecify.annotations.Nullable;

/**
 * Where a dataset's query comes from, which decides how its generated classes are named and
 * whether build-time classes may run it: the fluent API (named after the query), or a
 * {@code @StreamQuery} class (named after the class, compiled by the annotation processor).
 */
record QueryOrigin(@Nullable Class<?> queryClass) {
  static final QueryOrigin FLUENT = new QueryOrigin(null);

  QueryNaming naming(String queryName) {
    return queryClass == null ? QueryNaming.forQueryName(queryName)
        : QueryNaming.forQueryClass(ClassName.get(queryClass));
  }

  /** The loader to look for build-time stage classes in, or null to always generate. */
  @Nullable ClassLoader precompiled() {
    return queryClass == null ? null : queryClass.getClassLoader();
  }
}
