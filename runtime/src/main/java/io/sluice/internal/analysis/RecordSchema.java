package io.sluice.internal.analysis;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.annotations.EventTime;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema of a typed event class and how to read and build its instances: a Java record, or a
 * Kotlin data class (properties in {@code componentN} order).
 *
 * <p>Generated code calls the accessors and the constructor named here directly; reflection is
 * only used to find them.
 */
public final class RecordSchema implements RecordType {
  private static final Map<Class<?>, RecordSchema> CACHE = new ConcurrentHashMap<>();

  private final Class<?> type;
  private final Schema schema;
  private final List<Method> accessors;
  private final List<Class<?>> javaTypes;

  private RecordSchema(Class<?> type, Schema schema, List<Method> accessors) {
    this.type = type;
    this.schema = schema;
    this.accessors = accessors;
    this.javaTypes = accessors.stream().<Class<?>>map(Method::getReturnType).toList();
  }

  /** The schema of {@code type}; an unusable class gets an error naming what is wrong. */
  public static RecordSchema of(Class<?> type) {
    return CACHE.computeIfAbsent(type, RecordSchema::inspect);
  }

  public Class<?> type() {
    return type;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public ClassName className() {
    return ClassName.get(type);
  }

  @Override
  public String accessor(int ordinal) {
    return accessors.get(ordinal).getName();
  }

  @Override
  public TypeName javaType(int ordinal) {
    return TypeName.get(javaTypes.get(ordinal));
  }

  /** The accessor method of column {@code ordinal}. */
  public Method accessorMethod(int ordinal) {
    return accessors.get(ordinal);
  }

  /** The Java class of column {@code ordinal}, e.g. {@code long} or {@code Long}. */
  public Class<?> javaClass(int ordinal) {
    return javaTypes.get(ordinal);
  }

  /**
   * The columns of {@code long} components marked {@link EventTime}: epoch milliseconds, which a
   * file source also reads from timestamp text. The mark is looked for on the accessor and on the
   * constructor parameter, where Java puts a record component's and Kotlin a property's.
   */
  public Set<String> epochMillisEventTimes() {
    Set<String> columns = new LinkedHashSet<>();
    for (int i = 0; i < accessors.size(); i++) {
      Class<?> javaType = javaTypes.get(i);
      if ((javaType == long.class || javaType == Long.class) && markedEventTime(i)) {
        columns.add(schema.field(i).name());
      }
    }
    return columns;
  }

  private boolean markedEventTime(int ordinal) {
    if (accessors.get(ordinal).isAnnotationPresent(EventTime.class)) {
      return true;
    }
    try {
      return type.getConstructor(javaTypes.toArray(new Class<?>[0])).getParameters()[ordinal]
          .isAnnotationPresent(EventTime.class);
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The constructor that takes every column in order. */
  public Constructor<?> constructor() {
    try {
      return type.getConstructor(javaTypes.toArray(new Class<?>[0]));
    } catch (NoSuchMethodException e) {
      throw invalid(type, "it has no public constructor taking " + schema);
    }
  }

  private static RecordSchema inspect(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        throw invalid(type, "it must be public, and so must any class it is nested in, so that "
            + "generated code can read it");
      }
    }
    List<Method> accessors = type.isRecord() ? recordAccessors(type) : dataClassAccessors(type);
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < accessors.size(); i++) {
      Method m = accessors.get(i);
      fields.add(field(type, propertyName(type, m), m.getReturnType()));
    }
    return new RecordSchema(type, Schema.of(fields), accessors);
  }

  private static List<Method> recordAccessors(Class<?> type) {
    List<Method> accessors = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      accessors.add(c.getAccessor());
    }
    return accessors;
  }

  /** Kotlin data classes declare component1..componentN in constructor order. */
  private static List<Method> dataClassAccessors(Class<?> type) {
    List<Method> accessors = new ArrayList<>();
    for (int n = 1; ; n++) {
      try {
        accessors.add(type.getMethod("component" + n));
      } catch (NoSuchMethodException e) {
        break;
      }
    }
    if (accessors.isEmpty()) {
      throw invalid(type, "it must be a Java record or a Kotlin data class");
    }
    return accessors;
  }

  private static String propertyName(Class<?> type, Method accessor) {
    if (type.isRecord()) {
      return accessor.getName();
    }
    // componentN of a Kotlin data class is paired with a getter of the same return type, in order.
    int n = Integer.parseInt(accessor.getName().substring("component".length()));
    List<String> getters = new ArrayList<>();
    for (java.lang.reflect.Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        getters.add(f.getName());
      }
    }
    return n <= getters.size() ? getters.get(n - 1) : "_" + n;
  }

  private static Field field(Class<?> owner, String name, Class<?> javaType) {
    TypeName type = TypeName.get(javaType);
    if (JavaTypes.sqlType(type).isEmpty()) {
      String shown = javaType.getCanonicalName() != null ? javaType.getCanonicalName()
          : javaType.getTypeName();
      throw invalid(owner, "component '" + name + "' has type " + shown
          + "; supported: " + JavaTypes.SUPPORTED);
    }
    return JavaTypes.field(name, type);
  }

  private static SluiceException invalid(Class<?> type, String why) {
    String name = type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
    return new SluiceException(
        ErrorKind.INVALID_EVENT_TYPE, "cannot use " + name + " as an event type: " + why);
  }
}
