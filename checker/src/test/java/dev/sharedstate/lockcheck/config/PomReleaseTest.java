package dev.sharedstate.lockcheck.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PomReleaseTest {

  @TempDir
  Path tmp;

  @Test
  void readsThisRepositorysOwnPom() {
    var found = PomRelease.near(Path.of("src/main/java"));
    assertTrue(found.isPresent());
    assertEquals(21, found.get().release(), "the root pom's maven.compiler.release, through checker/pom.xml's parent");
    assertEquals("maven.compiler.release", found.get().what());
  }

  @Test
  void theScannerSkipsCommentsAndReadsCdataAndEntities() {
    PomRelease.Element root = PomRelease.parseXml("""
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- <project><properties><maven.compiler.release>8</maven.compiler.release></properties></project> -->
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <properties>
            <empty/>
            <maven.compiler.release><![CDATA[22]]></maven.compiler.release>
            <name>a &amp; b</name>
          </properties>
        </project>
        """);
    assertEquals("project", root.name);
    var props = root.children.get(0);
    assertEquals("", props.children.get(0).text());
    assertEquals("22", props.children.get(1).text());
    assertEquals("a & b", props.children.get(2).text());
    assertNull(PomRelease.parseXml("<project><a></b></project>"));
    assertNull(PomRelease.parseXml("<project>"));
  }

  @Test
  void releaseSpellings() {
    assertEquals(8, PomRelease.parseRelease("1.8"));
    assertEquals(17, PomRelease.parseRelease(" 17 "));
    assertEquals(21, PomRelease.parseRelease("21.0.2"));
    assertEquals(0, PomRelease.parseRelease("${missing}"));
  }

  @Test
  void anExplicitRelativePathToTheParent() throws IOException {
    Files.createDirectories(tmp.resolve("parent"));
    Files.createDirectories(tmp.resolve("modules/app"));
    Files.writeString(tmp.resolve("parent/pom.xml"),
        "<project><properties><maven.compiler.release>23</maven.compiler.release></properties></project>");
    Files.writeString(tmp.resolve("modules/app/pom.xml"),
        "<project><parent><relativePath>../../parent</relativePath></parent></project>");
    var found = PomRelease.near(tmp.resolve("modules/app/Missing.java"));
    assertEquals(23, found.orElseThrow().release());
    assertEquals(tmp.resolve("parent/pom.xml").toAbsolutePath().normalize(), found.get().pom());
  }
}
