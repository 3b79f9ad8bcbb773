package io.sluice.api;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.annotations.EventTime;
import io.sluice.annotations.SqlFunction;
import io.sluice.annotations.StreamQuery;
import io.sluice.annotations.Watermark;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.analysis.UserFunctions;
import io.sluice.internal.plan.QuerySpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
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
    Watermark w = q.watermark();
    // Only a watermark without a column needs the from type: a query may run over other rows.
    QuerySpec.Watermark watermark = w.column().isEmpty() && w.delay().isEmpty() ? null
        : new QuerySpec.Watermark(w.column(), w.delay(),
            w.column().isEmpty() ? markedEventTime(q.from()) : List.of());
    return new QuerySpec(name, watermark, q.where(), Arrays.asList(q.dropDuplicates()),
        Arrays.asList(q.dropDuplicatesWithinWatermark()), Arrays.asList(q.groupBy()),
        Arrays.asList(q.select()), q.having(), UserFunctions.of(functions(queryClass)));
  }

  /**
   * The components of {@code type} marked {@link EventTime}, in order: on a record component, or
   * on a Kotlin property's constructor parameter, field or getter (where Kotlin puts it depends on
   * its version and the use-site target).
   */
  static List<String> markedEventTime(Class<?> type) {
    RecordSchema schema = RecordSchema.of(type);
    List<String> marked = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        if (c.isAnnotationPresent(EventTime.class)) {
          marked.add(c.getName());
        }
      }
      return marked;
    }
    Annotation[][] parameters = schema.constructor().getParameterAnnotations();
    for (int i = 0; i < schema.schema().size(); i++) {
      String name = schema.schema().field(i).name();
      boolean onParameter = Arrays.stream(parameters[i]).anyMatch(EventTime.class::isInstance);
      if (onParameter || getterOrField(type, name)) {
        marked.add(name);
      }
    }
    return marked;
  }

  private static boolean getterOrField(Class<?> type, String property) {
    for (java.lang.reflect.Field f : type.getDeclaredFields()) {
      if (f.getName().equals(property) && f.isAnnotationPresent(EventTime.class)) {
        return true;
      }
    }
    String getter = "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
    for (Method m : type.getMethods()) {
      if (m.getName().equals(getter) && m.getParameterCount() == 0
          && m.isAnnotationPresent(EventTime.class)) {
        return true;
      }
    }
    return false;
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
