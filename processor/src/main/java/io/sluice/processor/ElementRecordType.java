package io.sluice.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.JavaTypes;
import io.sluice.internal.analysis.RecordType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * An event type read from source: a Java record, or a Kotlin data class as kapt presents it (a
 * class with {@code componentN()} methods). Same rules, same schema and same accessors as the
 * engine's reflective {@code RecordSchema}, so that generated code matches.
 */
final class ElementRecordType implements RecordType {
  private static final Pattern COMPONENT = Pattern.compile("component(\\d+)");
  private static final String EVENT_TIME = "io.sluice.annotations.EventTime";

  private final ClassName className;
  private final Schema schema;
  private final List<String> accessors;
  private final List<TypeName> javaTypes;
  private final List<String> markedEventTime;

  private ElementRecordType(ClassName className, Schema schema, List<String> accessors,
      List<TypeName> javaTypes, List<String> markedEventTime) {
    this.className = className;
    this.schema = schema;
    this.accessors = accessors;
    this.javaTypes = javaTypes;
    this.markedEventTime = markedEventTime;
  }

  /** The type a class literal names, e.g. {@code from}; a primitive or an array is an error. */
  static ElementRecordType of(TypeMirror type, Types types) {
    if (type.getKind() != TypeKind.DECLARED) {
      throw invalid(type.toString(), "it must be a Java record or a Kotlin data class");
    }
    return of((TypeElement) types.asElement(type), types);
  }

  /**
   * Reads {@code type}; an unusable type is an error in the engine's words. Component types are
   * erased, as reflection sees them at run time, so that an error names the same type.
   */
  static ElementRecordType of(TypeElement type, Types types) {
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        throw invalid(type, "it must be public, and so must any class it is nested in, so that "
            + "generated code can read it");
      }
    }
    List<String> names = new ArrayList<>();
    List<String> accessors = new ArrayList<>();
    List<TypeName> javaTypes = new ArrayList<>();
    List<String> marked = new ArrayList<>();
    if (type.getKind() == ElementKind.RECORD) {
      for (RecordComponentElement c : type.getRecordComponents()) {
        names.add(c.getSimpleName().toString());
        accessors.add(c.getSimpleName().toString());
        javaTypes.add(javaType(c.asType(), type, c.getSimpleName().toString(), types));
        if (eventTime(c)) {
          marked.add(c.getSimpleName().toString());
        }
      }
    } else {
      readDataClass(type, names, accessors, javaTypes, types);
      Set<String> markedProperties = markedProperties(type);
      names.stream().filter(markedProperties::contains).forEach(marked::add);
    }
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (JavaTypes.sqlType(javaTypes.get(i)).isEmpty()) {
        throw invalid(type, "component '" + names.get(i) + "' has type " + javaTypes.get(i)
            + "; supported: " + JavaTypes.SUPPORTED);
      }
      fields.add(JavaTypes.field(names.get(i), javaTypes.get(i)));
    }
    return new ElementRecordType(ClassName.get(type), Schema.of(fields), accessors, javaTypes,
        List.copyOf(marked));
  }

  /**
   * The Kotlin properties marked {@code @EventTime} on their constructor parameter, field or
   * getter, as the engine looks for them by reflection (where Kotlin puts the annotation depends
   * on its version and the use-site target).
   */
  private static Set<String> markedProperties(TypeElement type) {
    Set<String> marked = new HashSet<>();
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.CONSTRUCTOR) {
        for (VariableElement p : ((ExecutableElement) e).getParameters()) {
          if (eventTime(p)) {
            marked.add(p.getSimpleName().toString());
          }
        }
      } else if (e.getKind() == ElementKind.FIELD && eventTime(e)) {
        marked.add(e.getSimpleName().toString());
      } else if (e.getKind() == ElementKind.METHOD && eventTime(e)) {
        String getter = e.getSimpleName().toString();
        if (getter.startsWith("get") && getter.length() > 3) {
          marked.add(Character.toLowerCase(getter.charAt(3)) + getter.substring(4));
        }
      }
    }
    return marked;
  }

  private static boolean eventTime(Element e) {
    return e.getAnnotationMirrors().stream()
        .anyMatch(a -> a.getAnnotationType().toString().equals(EVENT_TIME));
  }

  /** The components marked {@code @EventTime}, in order: the default column of a watermark. */
  List<String> markedEventTime() {
    return markedEventTime;
  }

  /** Kotlin data classes: componentN() in constructor order, named after the fields in order. */
  private static void readDataClass(TypeElement type, List<String> names, List<String> accessors,
      List<TypeName> javaTypes, Types types) {
    List<ExecutableElement> components = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (Element e : type.getEnclosedElements()) {
      if (e instanceof ExecutableElement m && COMPONENT.matcher(m.getSimpleName()).matches()
          && m.getParameters().isEmpty()) {
        components.add(m);
      } else if (e instanceof VariableElement v && e.getKind() == ElementKind.FIELD
          && !v.getModifiers().contains(Modifier.STATIC)) {
        fields.add(v.getSimpleName().toString());
      }
    }
    if (components.isEmpty()) {
      throw invalid(type, "it must be a Java record or a Kotlin data class");
    }
    components.sort((a, b) -> Integer.compare(number(a), number(b)));
    for (ExecutableElement m : components) {
      int n = number(m);
      names.add(n <= fields.size() ? fields.get(n - 1) : "_" + n);
      accessors.add(m.getSimpleName().toString());
      javaTypes.add(javaType(m.getReturnType(), type, names.get(names.size() - 1), types));
    }
  }

  /** The erased type of a component; a type javac does not know yet defers the class. */
  private static TypeName javaType(TypeMirror component, TypeElement owner, String name,
      Types types) {
    MissingTypeException.check(component,
        "the type of component '" + name + "' of " + owner.getQualifiedName());
    return TypeName.get(types.erasure(component)).withoutAnnotations();
  }

  private static int number(ExecutableElement m) {
    Matcher matcher = COMPONENT.matcher(m.getSimpleName());
    return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
  }

  private static SluiceException invalid(TypeElement type, String why) {
    return invalid(type.getQualifiedName().toString(), why);
  }

  private static SluiceException invalid(String typeName, String why) {
    return new SluiceException(ErrorKind.INVALID_EVENT_TYPE,
        "cannot use " + typeName + " as an event type: " + why);
  }

  @Override
  public ClassName className() {
    return className;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public String accessor(int ordinal) {
    return accessors.get(ordinal);
  }

  @Override
  public TypeName javaType(int ordinal) {
    return javaTypes.get(ordinal);
  }
}
