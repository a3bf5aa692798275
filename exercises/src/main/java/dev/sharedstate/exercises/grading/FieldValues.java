package dev.sharedstate.exercises.grading;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/** The values of a learner object's fields, read by reflection: where the grading looks for its locks and maps. */
final class FieldValues {
  private FieldValues() {}

  /**
   * The non-null values of {@code owner}'s fields, its own class's first, then each superclass's up to
   * {@code Object}, in declaration order; static fields too when {@code statics} is set. A field that cannot
   * be made accessible (one of a JDK superclass) or read is left out.
   */
  static Map<Field, Object> of(Object owner, boolean statics) {
    Map<Field, Object> values = new LinkedHashMap<>();
    for (Class<?> c = owner.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        boolean isStatic = Modifier.isStatic(f.getModifiers());
        if (isStatic && !statics) continue;
        try {
          f.setAccessible(true);
          Object v = f.get(isStatic ? null : owner);
          if (v != null) values.put(f, v);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // not the learner's, or unreadable: nothing the grading can ask about
        }
      }
    }
    return values;
  }
}
