package dev.sharedstate.learn.book;

import dev.sharedstate.learn.Workspace;
import dev.sharedstate.learn.chapters.Chapter;
import dev.sharedstate.learn.exercises.Exercise;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./learn book --export DIR}: the book as static HTML that any web server (or a file browser)
 * can show: the home page, every chapter and exercise page, and every repository file those pages
 * link to, with the CSS and highlight.js they need, and relative links throughout. Nothing runs: the
 * code is highlighted, with its expected output; hints are folded; solutions are left out.
 */
public final class Exporter {

  private static final Pattern HREF = Pattern.compile("href=\"([^\"#]+)(#[^\"]*)?\"");

  private final Workspace ws;
  private final Assets assets = new Assets();
  private final Site site;

  public Exporter(Workspace ws) {
    this.ws = ws;
    this.site = new Site(ws, assets, Site.Flavor.STATIC, name -> "not-started");
  }

  /** Writes the book into {@code dir} (created if needed; files of the same names are replaced); returns the pages written. */
  public List<Path> export(Path dir) throws IOException {
    Files.createDirectories(dir);
    Set<String> written = new LinkedHashSet<>();
    Deque<String> linked = new ArrayDeque<>();
    write(dir, "index.html", site.home(), written, linked);
    for (Chapter c : ws.chapters().chapters()) {
      write(dir, Links.chapterPage(c.fileName()), site.chapter(c, null).html(), written, linked);
    }
    for (Exercise e : ws.exercises().exercises()) {
      write(dir, Links.exercisePage(e.name()), site.exercise(e), written, linked);
    }
    while (!linked.isEmpty()) {
      String page = linked.removeFirst();
      if (written.contains(page)) {
        continue;
      }
      Optional<String> html = Optional.empty();
      if (page.startsWith("docs/")) {
        html = site.doc(page.substring("docs/".length(), page.length() - ".html".length()));
      } else if (page.startsWith("files/")) {
        html = site.file(page.substring("files/".length(), page.length() - ".html".length()));
      }
      if (html.isPresent()) {
        write(dir, page, html.get(), written, linked);
      } else {
        written.add(page); // not to be tried again
      }
    }
    for (String asset : List.of("/assets/book.css", "/assets/highlight.js", "/" + assets.highlightJs() + "highlight.min.js",
        "/" + assets.highlightJs() + "styles/github.min.css")) {
      Path target = dir.resolve(asset.substring(1));
      Files.createDirectories(target.getParent());
      Files.write(target, assets.bytes(asset).orElseThrow(() -> new IOException("missing asset " + asset)));
    }
    return written.stream().map(dir::resolve).filter(Files::exists).toList();
  }

  private void write(Path dir, String page, String html, Set<String> written, Deque<String> linked)
      throws IOException {
    Path target = dir.resolve(page).normalize();
    if (!target.startsWith(dir.normalize())) {
      return;
    }
    Files.createDirectories(target.getParent());
    Files.writeString(target, html);
    written.add(page);
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      String href = m.group(1);
      if (href.contains(":")) {
        continue;
      }
      String resolved = URI.create("x:/" + page).resolve(href).getPath().substring(1);
      if ((resolved.startsWith("docs/") || resolved.startsWith("files/")) && !written.contains(resolved)) {
        linked.add(resolved);
      }
    }
  }
}
