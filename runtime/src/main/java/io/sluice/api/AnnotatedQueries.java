package io.sluice.api;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.annotations.SqlFunction;
import io.sluice.annotations.StreamQuery;
import io.sluice.internal.analysis.UserFunctions;
import io.sluice.internal.plan.QuerySpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a {@code @StreamQuery} class at run time into the spec the build time read from source. */
final class AnnotatedQueries {
  private AnnotatedQueries() {}

  static StreamQuery annotation(Class<?> queryClass) {
    StreamQuery query = queryClass.getAnnotation(StreamQuery.class);
    if (query == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, queryClass.getName()
          + " is not annotated with @StreamQuery");
    }
    return query;
  }

  static QuerySpec spec(Class<?> queryClass) {
    StreamQuery q = annotation(queryClass);
    for (Class<?> c = queryClass; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "query class "
            + queryClass.getName() + " must be public, and so must any class it is nested in, "
            + "so that generated code can call its functions");
      }
    }
    String name = q.name().isEmpty() ? queryClass.getSimpleName() : q.name();
    return new QuerySpec(name, q.where(), Arrays.asList(q.groupBy()), Arrays.asList(q.select()),
        q.having(), UserFunctions.of(functions(queryClass)));
  }

  private static List<UserFunctions.Declared> functions(Class<?> queryClass) {
    List<UserFunctions.Declared> declared = new ArrayList<>();
    for (Method m : queryClass.getDeclaredMethods()) {
      SqlFunction f = m.getAnnotation(SqlFunction.class);
      if (f == null) {
        continue;
      }
      if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "@SqlFunction "
            + queryClass.getSimpleName() + "." + m.getName() + " must be public and static");
      }
      List<TypeName> parameters = Arrays.stream(m.getParameterTypes()).map(TypeName::get)
          .toList();
      declared.add(new UserFunctions.Declared(f.name().isEmpty() ? m.getName() : f.name(),
          ClassName.get(queryClass), m.getName(), parameters, TypeName.get(m.getReturnType())));
    }
    return declared;
  }
}
