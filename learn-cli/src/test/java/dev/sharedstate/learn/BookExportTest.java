package dev.sharedstate.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./learn book --export DIR}: a static book whose every page, asset and link is there, and nothing runs. */
class BookExportTest {
  @TempDir Path tmp;

  @Test
  void theExportIsAWholeStaticBookWithRelativeLinksThatAllResolve() throws Exception {
    var fx = new Fixture(tmp);
    Path out = tmp.resolve("site");
    var r = fx.run("book", "--export", out.toString());
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().startsWith("Wrote "), r.out());
    for (String f : List.of("index.html", "chapters/01-the-problem.html", "chapters/07-lock-across-a-blocking-call.html",
        "exercises/ex01-share-the-map.html", "exercises/ex02-lock-never-escapes.html", "assets/book.css",
        "assets/highlight.js")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    String chapter = Files.readString(out.resolve("chapters/01-the-problem.html"));
    assertFalse(chapter.contains("importmap") || chapter.contains("book.js") || chapter.contains("class=\"run\""),
        "nothing runs in the static book");
    assertFalse(chapter.contains("import java.util.*;"), "hidden lines stay hidden");
    assertTrue(chapter.contains("var map = new HashMap&lt;String, Integer&gt;();"), chapter);
    assertTrue(chapter.contains("<div class=\"cell-caption\">expected output</div><pre>size 1"), chapter);
    String exercise = Files.readString(out.resolve("exercises/ex01-share-the-map.html"));
    assertTrue(exercise.contains("<details><summary>a hint</summary>"), "hints folded, one per fold");
    assertFalse(exercise.contains("show-solution"), "no solution in the static book");
    // every relative link and asset of every page is in the export
    Pattern ref = Pattern.compile("(?:href|src)=\"([^\"#:]+)(?:#[^\"]*)?\"");
    List<String> missing = new ArrayList<>();
    List<Path> pages;
    try (Stream<Path> walk = Files.walk(out)) {
      pages = walk.filter(p -> p.toString().endsWith(".html")).toList();
    }
    for (Path page : pages) {
      var m = ref.matcher(Files.readString(page));
      while (m.find()) {
        Path target = Path.of(URI.create(page.toUri().toString()).resolve(m.group(1)));
        if (!Files.exists(target)) {
          missing.add(out.relativize(page) + " -> " + m.group(1));
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void anExportOntoAFileIsRefused() throws Exception {
    var fx = new Fixture(tmp);
    Path file = Files.writeString(tmp.resolve("taken"), "x");
    var r = fx.run("book", "--export", file.toString());
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("is not a folder"), r.err());
  }
}
