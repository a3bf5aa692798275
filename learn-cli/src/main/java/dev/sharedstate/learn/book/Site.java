package dev.sharedstate.learn.book;

import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.markdown.CodeLine;
import dev.sharedstate.chapters.markdown.Mode;
import dev.sharedstate.learn.Workspace;
import dev.sharedstate.learn.chapters.Chapter;
import dev.sharedstate.learn.exercises.Exercise;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The book's pages, as HTML: the home page, a page per chapter (its Java blocks as cells to edit,
 * run and check; in the static export, as highlighted code), a page per exercise, and the other
 * Markdown and text files the chapters link to. The same pages serve {@code ./learn book} ("live")
 * and {@code ./learn book --export} ("static", no Run).
 */
final class Site {

  /** Live pages run code; static pages are for hosting anywhere. */
  enum Flavor {
    LIVE,
    STATIC
  }

  private final Workspace ws;
  private final Links links;
  private final MarkdownHtml markdown;
  private final Assets assets;
  private final Flavor mode;
  private final Function<String, String> statusOf;

  /**
   * @param statusOf exercise name → its status word ({@code passed}, {@code failed}, {@code not-started})
   */
  Site(Workspace ws, Assets assets, Flavor mode, Function<String, String> statusOf) {
    this.ws = ws;
    this.links = new Links(ws);
    this.markdown = new MarkdownHtml(links);
    this.assets = assets;
    this.mode = mode;
    this.statusOf = statusOf;
  }

  Links links() {
    return links;
  }

  boolean live() {
    return mode == Flavor.LIVE;
  }

  // ---- layout ------------------------------------------------------------------------------------------

  private String layout(String page, String title, String body, String pageId, String kind) {
    String base = Links.base(page);
    StringBuilder sb = new StringBuilder(body.length() + 4096);
    sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.esc(title)).append(" · Shared State, in Java</title>\n")
        .append("<link rel=\"stylesheet\" href=\"").append(base).append(assets.highlightJs())
        .append("styles/github.min.css\">\n")
        .append("<link rel=\"stylesheet\" href=\"").append(base).append("assets/book.css\">\n");
    if (live()) {
      sb.append("<script type=\"importmap\">").append(assets.importMap()).append("</script>\n");
      sb.append("<script type=\"module\" src=\"").append(base).append("assets/book.js\"></script>\n");
    }
    sb.append("<script defer src=\"").append(base).append(assets.highlightJs()).append("highlight.min.js\"></script>\n");
    sb.append("<script defer src=\"").append(base).append("assets/highlight.js\"></script>\n");
    sb.append("</head>\n<body class=\"").append(live() ? "live" : "static").append(' ').append(kind)
        .append("\" data-base=\"").append(base).append('"');
    if (pageId != null) {
      sb.append(" data-page=\"").append(Html.esc(pageId)).append('"');
    }
    sb.append(">\n<header class=\"top\"><a class=\"home\" href=\"").append(base).append("index.html\">Shared State, in Java</a>")
        .append("<nav>");
    for (Chapter c : ws.chapters().chapters()) {
      sb.append("<a href=\"").append(base).append(Links.chapterPage(c.fileName())).append("\" title=\"")
          .append(Html.esc(chapterTitle(c))).append("\">").append(c.number()).append("</a>");
    }
    sb.append("<a href=\"").append(base).append("index.html#exercises\">exercises</a></nav>");
    if (live()) {
      if (pageId != null) {
        sb.append("<button type=\"button\" id=\"restart\" class=\"restart\" title=\"Forget what ran on this page: "
            + "the next Run starts a fresh JShell from the chapter's first block\">restart JShell</button>");
      }
      sb.append("<span id=\"connection\" class=\"connection\" title=\"the book's server\"></span>");
    }
    sb.append("</header>\n<main>\n").append(body).append("\n</main>\n<footer>")
        .append(live() ? "Served by <code>./learn book</code> on this machine only; code runs in a JShell per page."
            : "A static copy of the book (<code>./learn book --export</code>); run the code with <code>./learn book</code>.")
        .append("</footer>\n</body>\n</html>\n");
    return sb.toString();
  }

  // ---- home --------------------------------------------------------------------------------------------

  String home() {
    var p = ws.progress();
    var chapters = ws.chapters().chapters();
    var exercises = ws.exercises().exercises();
    long read = chapters.stream().filter(c -> p.isRead(c.number())).count();
    long passed = exercises.stream().filter(e -> statusOf.apply(e.name()).equals("passed")).count();
    StringBuilder b = new StringBuilder();
    b.append("<h1>Shared State, in Java</h1>\n<p class=\"lead\">How threads share state safely: the Java ")
        .append("counterpart of the Tokio tutorial's “Shared state” chapter. Every Java block below runs in your ")
        .append("browser's own JShell, and <em>lockcheck</em> explains the bugs inline.</p>\n");
    if (live()) {
      b.append("<section class=\"progress\"><div><span class=\"label\">chapters read</span>")
          .append(meter(read, chapters.size())).append(' ').append(read).append('/').append(chapters.size())
          .append("</div><div><span class=\"label\">exercises passed</span>")
          .append(meter(passed, exercises.size())).append(" <span id=\"passed-count\">").append(passed)
          .append("</span>/").append(exercises.size()).append("</div></section>\n");
      b.append("<p class=\"next\"><strong>Next:</strong> ").append(nextStep()).append("</p>\n");
    }
    b.append("<h2 id=\"chapters\">Chapters</h2>\n<ol class=\"chapters\">\n");
    for (Chapter c : chapters) {
      boolean isRead = live() && p.isRead(c.number());
      b.append("<li class=\"").append(isRead ? "read" : "unread").append("\"><a href=\"")
          .append(Links.chapterPage(c.fileName())).append("\">").append(Html.esc(chapterTitle(c))).append("</a>");
      if (live()) {
        b.append(" <span class=\"mark\">").append(isRead ? "✓ read" : "").append("</span>");
      }
      b.append("</li>\n");
    }
    b.append("</ol>\n<h2 id=\"exercises\">Exercises</h2>\n<p>A small Redis-compatible server; each exercise fixes ")
        .append("one of the lesson's flaws in the storage behind it. Edit the files in your own editor: ")
        .append(live() ? "each exercise's status here updates by itself when you save." : "grade them with <code>./learn verify</code>.")
        .append("</p>\n<ul class=\"exercises\">\n");
    for (Exercise e : exercises) {
      String status = statusOf.apply(e.name());
      b.append("<li><a href=\"").append(Links.exercisePage(e.name())).append("\">").append(Html.esc(exerciseTitle(e)))
          .append("</a>");
      if (live()) {
        b.append(" <span class=\"status status-").append(Html.esc(status)).append("\" data-exercise=\"")
            .append(Html.esc(e.name())).append("\">").append(Html.esc(statusWord(status))).append("</span>");
      }
      b.append("</li>\n");
    }
    b.append("</ul>\n");
    return layout("index.html", "Contents", b.toString(), null, "home");
  }

  private static String meter(long done, long total) {
    return "<meter min=\"0\" max=\"" + Math.max(1, total) + "\" value=\"" + done + "\"></meter>";
  }

  static String statusWord(String status) {
    return switch (status) {
      case "passed" -> "✓ passed";
      case "failed" -> "✗ failed";
      default -> "not started";
    };
  }

  /** The one next step, as {@code ./learn} gives it, with links. */
  private String nextStep() {
    var p = ws.progress();
    var next = ws.exercises().exercises().stream().filter(e -> !statusOf.apply(e.name()).equals("passed")).findFirst();
    if (next.isPresent()) {
      var e = next.get();
      var unread = ws.chapters().chapters().stream()
          .filter(c -> !p.isRead(c.number()))
          .filter(c -> ws.chapterOf(e).map(need -> c.number() <= need.number()).orElse(false))
          .findFirst();
      if (unread.isPresent()) {
        return "read chapter " + unread.get().number() + ", <a href=\"" + Links.chapterPage(unread.get().fileName())
            + "\">" + Html.esc(chapterTitle(unread.get())) + "</a>.";
      }
      return "solve <a href=\"" + Links.exercisePage(e.name()) + "\">" + Html.esc(exerciseTitle(e)) + "</a>.";
    }
    var unread = ws.chapters().chapters().stream().filter(c -> !p.isRead(c.number())).findFirst();
    if (unread.isPresent()) {
      return "read chapter " + unread.get().number() + ", <a href=\"" + Links.chapterPage(unread.get().fileName())
          + "\">" + Html.esc(chapterTitle(unread.get())) + "</a>.";
    }
    return "all done! Run lockcheck on your own code: <code>./learn check PATH</code>.";
  }

  String chapterTitle(Chapter c) {
    return ws.chapters().title(c);
  }

  String exerciseTitle(Exercise e) {
    try {
      if (Files.isRegularFile(e.readme())) {
        return MarkdownHtml.title(Files.readString(e.readme()), e.name());
      }
    } catch (IOException ignored) {
      // the folder name will do
    }
    return e.name();
  }

  // ---- chapters ----------------------------------------------------------------------------------------

  /** A chapter page, and the chapter as parsed for it (what the page's runs use). */
  record ChapterPage(String html, dev.sharedstate.chapters.markdown.Chapter parsed) {}

  Optional<Chapter> chapterByPage(String name) {
    return ws.chapters().chapters().stream()
        .filter(c -> c.fileName().replaceFirst("\\.md$", "").equals(name))
        .findFirst();
  }

  /**
   * @param openPage gives the page its id (and a JShell session) for the parsed chapter; null for
   *     static pages
   */
  ChapterPage chapter(Chapter c, Function<dev.sharedstate.chapters.markdown.Chapter, String> openPage)
      throws IOException {
    String md = ws.chapters().markdown(c);
    var parsed = new ChapterParser().parse(c.file(), md);
    String pageId = openPage == null ? null : openPage.apply(parsed);
    Map<Integer, Integer> cellAt = new HashMap<>();
    Map<Integer, Integer> outputOf = new HashMap<>();
    for (int i = 0; i < parsed.blocks().size(); i++) {
      Block block = parsed.blocks().get(i);
      cellAt.put(block.line(), i);
      int index = i;
      block.expectedOutput().ifPresent(o -> outputOf.put(o.line(), index));
    }
    String page = Links.chapterPage(c.fileName());
    String repoFile = "chapters/" + c.fileName();
    String body = markdown.render(md, repoFile, page, line -> {
      Integer i = cellAt.get(line);
      if (i != null) {
        return cell(i, parsed.blocks().get(i));
      }
      return outputOf.containsKey(line) ? "" : null;
    });
    StringBuilder b = new StringBuilder(body);
    if (live()) {
      b.append("\n<div id=\"chapter-end\" data-chapter=\"").append(c.number()).append("\"></div>\n");
    }
    var all = ws.chapters().chapters();
    int at = all.indexOf(c);
    b.append("<nav class=\"pager\">");
    if (at > 0) {
      b.append("<a class=\"prev\" href=\"").append(Links.relative(page, Links.chapterPage(all.get(at - 1).fileName())))
          .append("\">← ").append(Html.esc(chapterTitle(all.get(at - 1)))).append("</a>");
    }
    b.append("<a class=\"contents\" href=\"../index.html\">contents</a>");
    if (at >= 0 && at + 1 < all.size()) {
      b.append("<a class=\"next\" href=\"").append(Links.relative(page, Links.chapterPage(all.get(at + 1).fileName())))
          .append("\">").append(Html.esc(chapterTitle(all.get(at + 1)))).append(" →</a>");
    }
    b.append("</nav>\n");
    if (!parsed.problems().isEmpty()) {
      b.append("<aside class=\"problems\"><strong>This chapter has malformed fences</strong> (mvn test fails on them):<ul>");
      parsed.problems().forEach(p -> b.append("<li>").append(Html.esc(p.toString())).append("</li>"));
      b.append("</ul></aside>");
    }
    return new ChapterPage(layout(page, parsed.title().isEmpty() ? c.fileName() : parsed.title(), b.toString(), pageId,
        "chapter"), parsed);
  }

  /** One Java block: an editor with Run, Check and Reset (live), or highlighted code (static). */
  private String cell(int index, Block block) {
    String keyword = block.mode().keyword();
    StringBuilder sb = new StringBuilder();
    sb.append("<div class=\"cell mode-").append(keyword).append("\" id=\"cell-").append(index)
        .append("\" data-index=\"").append(index).append("\" data-mode=\"").append(keyword).append('"');
    StringBuilder hidden = new StringBuilder();
    List<CodeLine> lines = block.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).hidden()) {
        hidden.append(hidden.isEmpty() ? "" : ",").append(i);
      }
    }
    if (!hidden.isEmpty()) {
      sb.append(" data-hidden=\"").append(hidden).append('"');
    }
    block.timeout().ifPresent(t -> sb.append(" data-timeout-ms=\"").append(t.toMillis()).append('"'));
    sb.append(">\n<div class=\"cell-head\"><span class=\"cell-tag\">").append(Html.esc(tag(block))).append("</span>");
    if (live()) {
      sb.append("<span class=\"cell-buttons\">");
      if (!(block.mode() instanceof Mode.Skip)) {
        sb.append("<button type=\"button\" class=\"run\" title=\"Run this block in this page's JShell (Ctrl-Enter)\">")
            .append("Run</button>");
      }
      sb.append("<button type=\"button\" class=\"check\" title=\"lockcheck on the block as it is now\">Check</button>")
          .append("<button type=\"button\" class=\"reset\" title=\"Restore the chapter's code\">Reset</button>");
      if (!hidden.isEmpty()) {
        sb.append("<button type=\"button\" class=\"toggle-hidden\" aria-pressed=\"false\">Show hidden lines</button>");
      }
      sb.append("</span>");
    }
    sb.append("</div>\n<pre class=\"cell-source\"><code class=\"").append(MarkdownHtml.fenceClasses(block.info()))
        .append("\">").append(Html.esc(live() ? block.fullText() : block.visibleText())).append("</code></pre>\n");
    if (live()) {
      sb.append("<div class=\"cell-result\" hidden></div>\n");
    }
    block.expectedOutput().ifPresent(o -> sb.append("<div class=\"cell-expected\"><div class=\"cell-caption\">")
        .append(block.mode() instanceof Mode.LockcheckFail ? "what lockcheck prints for it" : "expected output")
        .append("</div><pre>").append(Html.esc(o.text())).append("</pre></div>\n"));
    if (live()) {
      sb.append("<div class=\"cell-check\" hidden></div>\n<div class=\"cell-timeline\" hidden></div>\n");
    }
    sb.append("</div>");
    return sb.toString();
  }

  private static String tag(Block block) {
    return switch (block.mode()) {
      case Mode.Run r -> "java";
      case Mode.LockcheckFail l -> "java · the bug: lockcheck must flag it" + l.ruleId().map(id -> " (" + id + ")").orElse("");
      case Mode.CompileOnly c -> "java · compiled, not run: " + c.reason();
      case Mode.Skip s -> "java · not run: " + s.reason();
    };
  }

  // ---- exercises ---------------------------------------------------------------------------------------

  Optional<Exercise> exerciseByPage(String name) {
    return ws.exercises().exercises().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  String exercise(Exercise e) throws IOException {
    String page = Links.exercisePage(e.name());
    String readme = Files.isRegularFile(e.readme()) ? Files.readString(e.readme()) : "# " + e.name() + "\n";
    String repoFile = ws.root().relativize(e.readme().toAbsolutePath().normalize()).toString().replace('\\', '/');
    String body = markdown.render(MarkdownHtml.withoutSection(readme, "hints?"), repoFile, page, null);
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"exercise\" data-exercise=\"").append(Html.esc(e.name())).append("\">\n");
    if (live()) {
      String status = statusOf.apply(e.name());
      b.append("<section class=\"exercise-status\"><span class=\"status status-").append(Html.esc(status))
          .append("\" data-exercise=\"").append(Html.esc(e.name())).append("\" id=\"status\">")
          .append(Html.esc(statusWord(status))).append("</span> <span class=\"summary\" id=\"summary\"></span>")
          .append(" <button type=\"button\" class=\"grade\">Grade now</button>")
          .append("<pre class=\"failure\" id=\"failure\" hidden></pre>")
          .append("<p class=\"where\">Edit ");
      var files = e.starterFiles();
      for (int i = 0; i < files.size(); i++) {
        Path f = e.starterRoot().resolve(files.get(i));
        b.append(i == 0 ? "" : ", ").append("<code>").append(Html.esc(ws.root().relativize(f.toAbsolutePath().normalize())
            .toString())).append("</code>");
      }
      b.append(" in your own editor: this status updates by itself each time you save.</p></section>\n");
    }
    b.append(body);
    List<String> hints = ws.exercises().hints(e);
    b.append("<section class=\"hints\"><h2 id=\"hints\">Hints</h2>\n");
    if (hints.isEmpty()) {
      b.append("<p>This exercise has no hints.</p>");
    } else if (live()) {
      int given = Math.min(ws.progress().hintsGiven(e.name()), hints.size());
      b.append("<ol class=\"given\" id=\"hint-list\">");
      for (int i = 0; i < given; i++) {
        b.append("<li>").append(hintHtml(hints.get(i), repoFile, page)).append("</li>");
      }
      b.append("</ol><button type=\"button\" class=\"hint\" data-total=\"").append(hints.size()).append("\"")
          .append(given >= hints.size() ? " disabled" : "").append('>')
          .append(given >= hints.size() ? "All " + hints.size() + " hints shown"
              : "Show hint " + (given + 1) + " of " + hints.size()).append("</button>");
    } else {
      b.append("<ol>");
      for (String h : hints) {
        b.append("<li><details><summary>a hint</summary>").append(hintHtml(h, repoFile, page)).append("</details></li>");
      }
      b.append("</ol>");
    }
    b.append("</section>\n");
    if (live()) {
      b.append("<section class=\"solution\"><h2 id=\"solution\">Solution</h2><p>The reference solution is shown once ")
          .append("your exercise passes, or if you give up.</p><button type=\"button\" class=\"show-solution\">Show the ")
          .append("solution</button> <button type=\"button\" class=\"give-up\">Give up and show it</button>")
          .append("<div id=\"solution-files\"></div></section>\n");
    }
    b.append("</div>\n");
    return layout(page, exerciseTitle(e), b.toString(), null, "exercise-page");
  }

  String hintHtml(String hint, String repoFile, String page) {
    return markdown.render(hint, repoFile, page, null);
  }

  // ---- other files -------------------------------------------------------------------------------------

  /** A Markdown file of the repository, rendered; {@code rel} without {@code .md}. */
  Optional<String> doc(String rel) throws IOException {
    String repoFile = rel + ".md";
    Optional<Path> f = links.repoFile(repoFile);
    if (f.isEmpty() || !Files.isRegularFile(f.get())) {
      return Optional.empty();
    }
    String md = Files.readString(f.get());
    String page = "docs/" + rel + ".html";
    String body = markdown.render(md, repoFile, page, null);
    return Optional.of(layout(page, MarkdownHtml.title(md, repoFile), body, null, "doc"));
  }

  /** Any other text file of the repository, shown as text. */
  Optional<String> file(String rel) throws IOException {
    Optional<Path> f = links.repoFile(rel);
    if (f.isEmpty() || !Files.isRegularFile(f.get()) || Files.size(f.get()) > 1_000_000) {
      return Optional.empty();
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f.get()))).toString();
    } catch (CharacterCodingException notText) {
      return Optional.empty();
    }
    String page = "files/" + rel + ".html";
    String ext = rel.contains(".") ? rel.substring(rel.lastIndexOf('.') + 1) : "plaintext";
    String body = "<h1><code>" + Html.esc(rel) + "</code></h1>\n<pre><code class=\"language-"
        + Html.esc(ext.replaceAll("[^a-z0-9]", "")) + "\">" + Html.esc(text) + "</code></pre>\n";
    return Optional.of(layout(page, rel, body, null, "file"));
  }

  /** A plain page for a message (not found, and the like). */
  String message(String page, String title, String text) {
    return layout(page, title, "<h1>" + Html.esc(title) + "</h1>\n<p>" + Html.esc(text) + "</p>\n<p><a href=\""
        + Links.base(page) + "index.html\">Back to the contents</a></p>", null, "message");
  }
}
