package dev.sharedstate.learn;

import dev.sharedstate.learn.chapters.Chapter;
import dev.sharedstate.learn.chapters.ChapterSource;
import dev.sharedstate.learn.chapters.DirectoryChapterSource;
import dev.sharedstate.learn.exercises.DirectoryExerciseCatalog;
import dev.sharedstate.learn.exercises.Exercise;
import dev.sharedstate.learn.exercises.ExerciseCatalog;
import dev.sharedstate.learn.exercises.Grade;
import dev.sharedstate.learn.exercises.Grader;
import dev.sharedstate.learn.exercises.JUnitGrader;
import dev.sharedstate.learn.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one handle on a checkout that the commands share: where chapters and exercises come from, how
 * exercises are graded, and where progress is kept. Wiring to the real modules means passing other
 * {@link ChapterSource}/{@link ExerciseCatalog}/{@link Grader} implementations here.
 */
public record Workspace(Path root, ChapterSource chapters, ExerciseCatalog exercises, Grader grader) {

  /** The file-layout implementations over {@code root/chapters} and {@code root/exercises}. */
  public static Workspace at(Path root) {
    // The exercises' grading extension finds its starter manifest (exercises/starters.sha1) through this,
    // wherever the learner started ./learn from.
    System.setProperty("exercises.root", root.resolve("exercises").toAbsolutePath().toString());
    return new Workspace(root, new DirectoryChapterSource(root.resolve("chapters")),
        new DirectoryExerciseCatalog(root.resolve("exercises")), JUnitGrader.withClassPath(Learn.classPath(root)));
  }

  public Path stateDir() {
    return root.resolve(".learn");
  }

  public Progress progress() {
    return Progress.load(stateDir().resolve("progress.properties"));
  }

  /** Grades an exercise's starter and records the result in the progress file. */
  public Grade gradeAndRecord(Exercise e) throws IOException {
    var grade = grader.grade(e, Grader.Target.STARTER);
    var p = progress();
    p.setStatus(e.name(), grade.status());
    p.save();
    return grade;
  }

  public String chapterNames() {
    return chapters.chapters().stream().map(c -> c.number() + " (" + c.fileName() + ")")
        .collect(Collectors.joining(", ", "", chapters.chapters().isEmpty() ? "(none found in " + root.resolve("chapters") + ")" : ""));
  }

  public String exerciseNames() {
    return exercises.exercises().stream().map(Exercise::name)
        .collect(Collectors.joining(", ", "", exercises.exercises().isEmpty() ? "(none found in " + root.resolve("exercises") + ")" : ""));
  }

  private static final Pattern CHAPTER_REF = Pattern.compile("\\b(\\d{2})-[a-z0-9-]+\\.md|[Cc]hapter (\\d+)");

  /** The first chapter an exercise's README refers to (by file name or "chapter N"), if any. */
  public Optional<Chapter> chapterOf(Exercise e) {
    try {
      if (!Files.exists(e.readme())) {
        return Optional.empty();
      }
      var m = CHAPTER_REF.matcher(Files.readString(e.readme()));
      while (m.find()) {
        var n = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        var c = chapters.chapters().stream().filter(ch -> ch.number() == n).findFirst();
        if (c.isPresent()) {
          return c;
        }
      }
    } catch (IOException ignored) {
      // no README: no chapter to suggest
    }
    return Optional.empty();
  }

  /** Finds the checkout: {@code $LEARN_ROOT}, else the nearest parent of {@code start} with chapters/ and exercises/. */
  public static Path findRoot(Path start, String env) {
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    for (var d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("chapters")) && Files.isDirectory(d.resolve("exercises"))) {
        return d;
      }
    }
    return start.toAbsolutePath().normalize();
  }
}
