package io.sluice.processor;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * The values of a {@code @StreamQuery} (or any) annotation on an element, read through its mirror
 * so that class values need no loaded class, with the value objects kept for error positions.
 */
final class QueryAnnotation {
  private final AnnotationMirror mirror;
  private final Map<? extends ExecutableElement, ? extends AnnotationValue> values;
  private final Elements elements;

  private QueryAnnotation(AnnotationMirror mirror, Elements elements) {
    this.mirror = mirror;
    this.values = elements.getElementValuesWithDefaults(mirror);
    this.elements = elements;
  }

  static @Nullable QueryAnnotation find(Element element, String annotationType,
      Elements elements) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      if (m.getAnnotationType().toString().equals(annotationType)) {
        return new QueryAnnotation(m, elements);
      }
    }
    return null;
  }

  AnnotationMirror mirror() {
    return mirror;
  }

  /**
   * The value object of {@code member}, for reporting an error on it; {@code watermark.delay} is
   * member {@code delay} of the annotation that is the value of {@code watermark}.
   */
  @Nullable AnnotationValue value(String member) {
    int dot = member.indexOf('.');
    if (dot > 0) {
      QueryAnnotation nested = nested(member.substring(0, dot));
      return nested == null ? null : nested.value(member.substring(dot + 1));
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : values.entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(member)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Element {@code index} of an array member, or the member itself if it is a single value. */
  @Nullable AnnotationValue value(String member, int index) {
    AnnotationValue v = value(member);
    if (v != null && v.getValue() instanceof List<?> list && index < list.size()) {
      return (AnnotationValue) list.get(index);
    }
    return v;
  }

  /** The annotation that is the value of {@code member}, e.g. {@code @Watermark(...)}. */
  @Nullable QueryAnnotation nested(String member) {
    AnnotationValue v = value(member);
    return v != null && v.getValue() instanceof AnnotationMirror m
        ? new QueryAnnotation(m, elements) : null;
  }

  String string(String member) {
    AnnotationValue v = value(member);
    return v == null ? "" : (String) v.getValue();
  }

  List<String> strings(String member) {
    AnnotationValue v = value(member);
    if (v == null) {
      return List.of();
    }
    if (v.getValue() instanceof List<?> list) {
      return list.stream().map(x -> (String) ((AnnotationValue) x).getValue())
          .collect(Collectors.toList());
    }
    return List.of((String) v.getValue());
  }

  /**
   * A class member's type; null for {@code void.class}. A class javac cannot resolve (yet) is a
   * {@link MissingTypeException}: javac gives its value as an error type or as a string.
   */
  @Nullable TypeMirror type(String member) {
    AnnotationValue v = value(member);
    if (v == null) {
      return null;
    }
    String what = "the class in '" + member + "'";
    if (!(v.getValue() instanceof TypeMirror t)) {
      throw new MissingTypeException(what);
    }
    return MissingTypeException.check(t, what).getKind() == TypeKind.VOID ? null : t;
  }
}
