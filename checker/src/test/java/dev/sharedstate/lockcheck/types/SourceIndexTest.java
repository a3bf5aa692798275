package dev.sharedstate.lockcheck.types;

import dev.sharedstate.lockcheck.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceIndexTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return TestFiles.write(dir, name, text);
  }

  @Test
  void thePackageIsReadFromTheTextWithoutParsing() throws IOException {
    assertEquals("a.b", SourceIndex.readPackage(write("A.java", "package a.b;\nclass A {}")));
    assertEquals("a.b", SourceIndex.readPackage(write("B.java", "// header\n/* licence */\npackage  a .\n b ;")));
    assertEquals("", SourceIndex.readPackage(write("C.java", "import java.util.List;\nclass C {}")));
    assertEquals("?", SourceIndex.readPackage(write("package-info.java", "@Deprecated\npackage a;")));
    assertEquals("?", SourceIndex.readPackage(dir.resolve("Missing.java")));
  }

  /** Two files of one name: the one in the qualified name's package declares it. */
  @Test
  void lookupFindsTheFileOfTheRightPackage() throws IOException {
    Path p = write("p/Foo.java", "package p;\npublic class Foo { void inP() {} }");
    Path q = write("q/Foo.java", "package q;\npublic class Foo { void inQ() {} public static class Inner {} }");
    SourceIndex index = new SourceIndex(List.of(p, q));
    new TypeUniverse(new LibraryTypes(List.of()), index);
    assertFalse(index.lookup("q.Foo").orElseThrow().methods("inQ").isEmpty());
    assertFalse(index.lookup("p.Foo").orElseThrow().methods("inP").isEmpty());
    assertTrue(index.lookup("q.Foo.Inner").isPresent());
    assertTrue(index.lookup("r.Foo").isEmpty());
    assertTrue(index.mayReferTo(p, "p"));
    assertFalse(index.mayReferTo(p, "q"));
  }

  @Test
  void subtypeCandidatesAreTheFilesNamingTheTypeInTheirClauses() throws IOException {
    Path i = write("s/Stopper.java", "package s;\npublic interface Stopper { void stop(); }");
    Path a = write("s/Joiner.java", "package s;\nclass Joiner implements Runnable,\n Stopper { public void stop() {} }");
    Path b = write("t/Other.java", "package t;\nclass Other extends Thread { /* Stopper */ }");
    SourceIndex index = new SourceIndex(List.of(i, a, b));
    assertEquals(List.of(a), index.filesNamingSupertype("Stopper"));
    assertEquals(List.of(b), index.filesNamingSupertype("Thread"));
  }

  /**
   * The cache of parsed trees stays within its budget however many files are looked up (issue 12,
   * family 7): the least recently used tree goes first, and a file looked up again is parsed again.
   */
  @Test
  void parsedTreesStayWithinTheBudget() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      files.add(write("m/T" + i + ".java", "package m;\npublic class T" + i + " { void run() { int x = " + i + "; } }"));
    }
    long oneFile = (long) java.nio.file.Files.readString(files.get(0)).length() * SourceIndex.BYTES_PER_CHAR;
    SourceIndex index = new SourceIndex(files, 3 * oneFile);
    new TypeUniverse(new LibraryTypes(List.of()), index);
    for (int i = 0; i < 20; i++) {
      assertTrue(index.lookup("m.T" + i).isPresent());
      assertTrue(index.cachedBytes() <= 4 * oneFile, "cached " + index.cachedBytes() + " after " + (i + 1));
    }
    assertEquals(20, index.parses());
    assertTrue(index.lookup("m.T0").isPresent(), "an evicted file is parsed again");
    assertEquals(21, index.parses());
    assertTrue(index.lookup("m.T0").isPresent());
    assertEquals(21, index.parses(), "a cached file is not parsed again");
  }
}
