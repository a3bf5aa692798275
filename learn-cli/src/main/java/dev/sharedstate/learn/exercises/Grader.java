package dev.sharedstate.learn.exercises;

/** Grades an exercise against the learner's starter or the reference. */
public interface Grader {
  /** Which sources to grade: the learner's edited starter or the reference solution. */
  enum Target {
    STARTER, REFERENCE;

    /** The value of the JUnit configuration parameter {@code exercises.target}. */
    public String parameter() {
      return name().toLowerCase();
    }
  }

  Grade grade(Exercise exercise, Target target);
}
