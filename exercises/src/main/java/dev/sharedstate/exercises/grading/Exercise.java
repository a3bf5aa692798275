package dev.sharedstate.exercises.grading;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an exercise's test class: which folder it grades, the chapter section to read, and the
 * learner's class (with a {@code public static KvServer start(ServerConfig)}). The reference solution
 * is the class of the same name in the {@code reference} subpackage.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(Grader.class)
public @interface Exercise {
  /** The exercise folder, e.g. {@code ex01-share-the-map}. */
  String id();

  /** The chapter (and section) to read, relative to the repository root. */
  String chapter();

  /** The learner's class with {@code public static KvServer start(ServerConfig)}. */
  Class<?> starter();
}
