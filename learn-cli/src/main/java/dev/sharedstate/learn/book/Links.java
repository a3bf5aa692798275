package dev.sharedstate.learn.book;

import dev.sharedstate.learn.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where each file of the repository lives in the book, so the chapters' own links work inside it: a
 * chapter file is its chapter page, an exercise's README or folder its exercise page, the chapters'
 * README the home page, any other Markdown file a rendered page under {@code docs/}, any other text
 * file a page under {@code files/}. The same paths are used by the server and by the static export,
 * and pages link to each other relatively, so both work from any folder.
 *
 * <p>Nothing outside the repository has a page: {@link #repoFile} is the one place a URL path becomes a
 * file, and it refuses anything that resolves (through {@code ..} or a symbolic link) outside it,
 * into {@code .git} or {@code .learn}, or to a name starting with a dot.
 */
final class Links {

  private final Workspace ws;
  private final Path root;
  private final Path realRoot;

  Links(Workspace ws) {
    this.ws = ws;
    this.root = ws.root().toAbsolutePath().normalize();
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      real = root;
    }
    this.realRoot = real;
  }

  Path root() {
    return root;
  }

  /** The book path (no leading slash) of a repository-relative path, if it has one. */
  Optional<String> pageOf(String repoRelative) {
    String rel = repoRelative.replace('\\', '/');
    while (rel.startsWith("./")) {
      rel = rel.substring(2);
    }
    if (rel.endsWith("/")) {
      rel = rel.substring(0, rel.length() - 1);
    }
    if (rel.isEmpty()) {
      return Optional.of("docs/README.html");
    }
    Optional<Path> file = repoFile(rel);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path f = file.get();
    String relNorm = root.relativize(f).toString().replace('\\', '/');
    if (relNorm.equals("chapters") || relNorm.equals("chapters/README.md")) {
      return Optional.of("index.html");
    }
    for (var c : ws.chapters().chapters()) {
      if (relNorm.equals("chapters/" + c.fileName())) {
        return Optional.of("chapters/" + c.fileName().replaceFirst("\\.md$", "") + ".html");
      }
    }
    for (var e : ws.exercises().exercises()) {
      String dir = root.relativize(e.dir().toAbsolutePath().normalize()).toString().replace('\\', '/');
      if (relNorm.equals(dir) || relNorm.equals(dir + "/README.md")) {
        return Optional.of(exercisePage(e.name()));
      }
    }
    if (Files.isDirectory(f)) {
      if (Files.isRegularFile(f.resolve("README.md"))) {
        return Optional.of("docs/" + relNorm + "/README.html");
      }
      return Optional.empty();
    }
    if (relNorm.toLowerCase(Locale.ROOT).endsWith(".md")) {
      return Optional.of("docs/" + relNorm.substring(0, relNorm.length() - 3) + ".html");
    }
    return Optional.of("files/" + relNorm + ".html");
  }

  static String exercisePage(String name) {
    return "exercises/" + name + ".html";
  }

  static String chapterPage(String fileName) {
    return "chapters/" + fileName.replaceFirst("\\.md$", "") + ".html";
  }

  /**
   * Resolves a repository-relative path to an existing file or folder inside the repository, or
   * nothing: never above the root (after {@code ..} and symbolic links), never into a dot-folder.
   */
  Optional<Path> repoFile(String repoRelative) {
    if (repoRelative.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    Path p;
    try {
      p = root.resolve(repoRelative).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
    if (!p.startsWith(root) || !Files.exists(p)) {
      return Optional.empty();
    }
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return Optional.empty();
      }
    }
    try {
      if (!p.toRealPath().startsWith(realRoot)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(p);
  }

  /**
   * A link as written in a Markdown file at {@code fromRepoFile} (repository-relative), made into a
   * link from the book page at {@code fromPage}: absolute URLs stay, fragments stay, repository
   * paths become book pages; anything else (outside the repository, missing) gives nothing.
   */
  Optional<String> rewrite(String href, String fromRepoFile, String fromPage) {
    if (href == null || href.isEmpty()) {
      return Optional.empty();
    }
    String lower = href.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:")) {
      return Optional.of(href);
    }
    if (href.startsWith("#")) {
      return Optional.of(href);
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*:.*") || href.startsWith("/") || href.startsWith("\\")) {
      return Optional.empty(); // another scheme (javascript:, data:, file:...) or an absolute path
    }
    String path = href;
    String fragment = "";
    int hash = path.indexOf('#');
    if (hash >= 0) {
      fragment = path.substring(hash);
      path = path.substring(0, hash);
    }
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    String dir = fromRepoFile.contains("/") ? fromRepoFile.substring(0, fromRepoFile.lastIndexOf('/') + 1) : "";
    String target;
    try {
      target = root.relativize(root.resolve(dir + java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8))
          .normalize()).toString();
    } catch (IllegalArgumentException e) { // a bad escape, or a path the file system refuses
      return Optional.empty();
    }
    if (target.startsWith("..")) {
      return Optional.empty();
    }
    String frag = fragment;
    return pageOf(target).map(page -> relative(fromPage, page) + frag);
  }

  /** The relative URL from one book page to another (both book paths, no leading slash). */
  static String relative(String fromPage, String toPage) {
    return base(fromPage) + toPage;
  }

  /** {@code ../} once per folder of the page: the way back to the book's root. */
  static String base(String page) {
    int depth = 0;
    for (int i = 0; i < page.length(); i++) {
      if (page.charAt(i) == '/') {
        depth++;
      }
    }
    return "../".repeat(depth);
  }
}
