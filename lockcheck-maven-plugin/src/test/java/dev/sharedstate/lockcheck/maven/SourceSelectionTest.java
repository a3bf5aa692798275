package dev.sharedstate.lockcheck.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSelectionTest {

  @TempDir Path base;

  private void touch(String rel) throws Exception {
    Path p = base.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "class X {}");
  }

  private List<String> select(List<String> roots, List<String> in, List<String> out) throws Exception {
    return SourceSelection.select(base, roots, in, out).stream().map(p -> base.relativize(p).toString().replace('\\', '/'))
        .toList();
  }

  @Test
  void mavenStyleGlobsAndMissingRoots() throws Exception {
    touch("src/Top.java");
    touch("src/a/b/Deep.java");
    touch("src/a/notes.txt");
    touch("src/gen/Gen.java");
    touch("other/Other.java");
    assertEquals(List.of("src/Top.java", "src/a/b/Deep.java", "src/gen/Gen.java"),
        select(List.of("src", "missing"), List.of("**/*.java"), List.of()));
    assertEquals(List.of("src/Top.java", "src/a/b/Deep.java"),
        select(List.of("src"), List.of("**/*.java"), List.of("gen/**")));
    assertEquals(List.of("other/Other.java", "src/a/b/Deep.java"),
        select(List.of(base.resolve("other").toString(), "src"), List.of("**/b/*.java", "Other.java"), List.of()));
    // an empty includes list means the default
    assertEquals(3, select(List.of("src"), List.of(), List.of()).size());
  }
}
