package dev.sharedstate.lockcheck.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fuzzer's starting points, in a fixed order: every {@code .java} file under the given folders
 * (the checker's fixtures, the exercises), and every {@code ```java} block of the Markdown files
 * (the chapters), each wrapped twice: as class members and as a method body, since JShell snippets
 * are neither a compilation unit nor always one of the two.
 */
final class Seeds {

  private Seeds() {}

  static List<String> load(List<Path> roots) throws IOException {
    List<String> seeds = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(root)) {
        files = walk.filter(Files::isRegularFile)
            .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
            .filter(p -> !p.toString().contains("/target/"))
            .sorted()
            .toList();
      }
      for (Path f : files) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (f.toString().endsWith(".java")) {
          seeds.add(text);
        } else {
          for (String snippet : javaBlocks(text)) {
            seeds.add("class Snippet {\n" + snippet + "\n}\n");
            seeds.add("class Snippet {\n  void run() throws Exception {\n" + snippet + "\n  }\n}\n");
          }
        }
      }
    }
    return seeds;
  }

  /** The bodies of the ```java fences (any info string after "java"), hidden-line prefixes removed. */
  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    StringBuilder cur = null;
    for (String line : markdown.split("\n", -1)) {
      String t = line.strip();
      if (cur == null && t.startsWith("```java")) {
        cur = new StringBuilder();
      } else if (cur != null && t.equals("```")) {
        blocks.add(cur.toString());
        cur = null;
      } else if (cur != null) {
        cur.append(line.replace("/* hidden */", "")).append('\n');
      }
    }
    return blocks;
  }
}
