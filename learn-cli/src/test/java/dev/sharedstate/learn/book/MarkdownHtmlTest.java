package dev.sharedstate.learn.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.learn.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chapters render as GitHub shows them, and their links lead to the book's own pages. */
class MarkdownHtmlTest {
  @TempDir Path root;
  MarkdownHtml md;
  Links links;

  @BeforeEach
  void checkout() throws Exception {
    Files.createDirectories(root.resolve("chapters"));
    Files.writeString(root.resolve("chapters/01-one.md"), "# 1. One\n");
    Files.writeString(root.resolve("chapters/02-two.md"), "# 2. Two\n");
    Files.writeString(root.resolve("chapters/README.md"), "# Contents\n");
    Files.createDirectories(root.resolve("exercises/ex01-first/test"));
    Files.writeString(root.resolve("exercises/ex01-first/README.md"), "# ex01\n");
    Files.createDirectories(root.resolve("checker/docs/rules"));
    Files.writeString(root.resolve("checker/docs/rules/some-rule.md"), "# rule\n");
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    links = new Links(Workspace.at(root));
    md = new MarkdownHtml(links);
  }

  String chapter(String markdown) {
    return md.render(markdown, "chapters/01-one.md", "chapters/01-one.html", null);
  }

  @Test
  void headingsGetGitHubsAnchorsAndTablesRender() {
    String html = chapter("## Fix 1: only lock inside methods that never block\n\n### `CompletableFuture` code\n\n"
        + "| a | b |\n| --- | --- |\n| 1 | 2 |\n");
    assertTrue(html.contains("<h2 id=\"fix-1-only-lock-inside-methods-that-never-block\">"), html);
    assertTrue(html.contains("<h3 id=\"completablefuture-code\">"), html);
    assertTrue(html.contains("<table>") && html.contains("<td>2</td>"), html);
  }

  @Test
  void theChaptersLinksLeadToBookPages() {
    String html = chapter("[next](02-two.md#part) [toc](README.md) [ex](../exercises/ex01-first/README.md#goal) "
        + "[folder](../exercises/ex01-first/) [rule](../checker/docs/rules/some-rule.md) [pom](../pom.xml) "
        + "[jep](https://openjdk.org/jeps/444) [here](#section)");
    assertTrue(html.contains("href=\"../chapters/02-two.html#part\""), html);
    assertTrue(html.contains("href=\"../index.html\""), html);
    assertTrue(html.contains("href=\"../exercises/ex01-first.html#goal\""), html);
    assertTrue(html.contains("href=\"../exercises/ex01-first.html\">folder"), html);
    assertTrue(html.contains("href=\"../docs/checker/docs/rules/some-rule.html\""), html);
    assertTrue(html.contains("href=\"../files/pom.xml.html\""), html);
    assertTrue(html.contains("href=\"https://openjdk.org/jeps/444\" target=\"_blank\" rel=\"noopener noreferrer\""), html);
    assertTrue(html.contains("href=\"#section\""), html);
  }

  @Test
  void linksOutOfTheRepositoryOrToOtherSchemesLeadNowhere() {
    String html = chapter("[up](../../etc/passwd) [js](javascript:alert(1)) [file](file:///etc/passwd) [abs](/etc/passwd) "
        + "[gone](03-missing.md) ![img](https://example.com/x.png)");
    assertFalse(html.contains("href="), html);
    assertFalse(html.contains("src="), "no remote image: " + html);
    assertEquals(5, html.split("class=\"dead-link\"", -1).length - 1, html);
  }

  @Test
  void everyInfoWordIsAClassAndRawHtmlIsText() {
    String html = chapter("```java lockcheck-fail=lock-held-across-blocking-call timeout=10s\nint x;\n```\n\n"
        + "<script>alert(1)</script>\n\n<!-- a comment -->\n\ntext <b>bold</b>\n");
    assertTrue(html.contains("<code class=\"language-java lockcheck-fail timeout\">"), html);
    assertFalse(html.contains("<script>") || html.contains("<b>") || html.contains("a comment"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("&lt;b&gt;bold&lt;/b&gt;"), html);
  }

  @Test
  void aPageCanRenderItsOwnCellsForFences() {
    String html = md.render("# T\n\n```java\nint x;\n```\n\n```output\n1\n```\n", "chapters/01-one.md", "chapters/01-one.html",
        line -> line == 3 ? "<div class=\"cell\">cell</div>" : line == 7 ? "" : null);
    assertTrue(html.contains("<div class=\"cell\">cell</div>"), html);
    assertFalse(html.contains("language-output"), html);
  }

  @Test
  void theHintsSectionIsLeftOutOfAReadme() {
    String readme = "# ex\n\n## Goal\ngoal\n\n## Hints\n1. one\n2. two\n\n## After\nafter\n";
    String without = MarkdownHtml.withoutSection(readme, "hints?");
    assertTrue(without.contains("## Goal") && without.contains("## After"), without);
    assertFalse(without.contains("one"), without);
  }
}
