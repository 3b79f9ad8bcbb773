package io.sluice.internal.codegen;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The objects a generated class needs but must not spell out in its source: string literals from
 * expressions, LIKE patterns, user functions, schemas. The class receives them as an {@code
 * Object[]} in its constructor and keeps each in a typed final field.
 *
 * <p>This is what keeps user text out of generated source: an expression's string literal becomes
 * {@code k3}, never a Java string literal.
 */
final class ConstantPool {
  private final List<Object> values = new ArrayList<>();
  private final List<FieldSpec> fields = new ArrayList<>();

  /** Adds {@code value} and returns the name of the field that will hold it. */
  String add(Object value, TypeName type) {
    String name = "k" + values.size();
    values.add(value);
    fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL).build());
    return name;
  }

  Object[] values() {
    return values.toArray();
  }

  /** Adds the fields and a constructor taking {@code Object[] constants} to {@code type}. */
  void addTo(TypeSpec.Builder type) {
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addParameter(Object[].class, "constants");
    for (int i = 0; i < fields.size(); i++) {
      FieldSpec field = fields.get(i);
      type.addField(field);
      constructor.addStatement("this.$N = ($T) constants[$L]", field, field.type(), i);
    }
    type.addMethod(constructor.build());
  }
}
