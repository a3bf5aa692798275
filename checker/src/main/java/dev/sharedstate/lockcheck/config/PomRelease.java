package dev.sharedstate.lockcheck.config;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java release a Maven project compiles for, read from the nearest {@code pom.xml} above a path:
 * the property {@code maven.compiler.release}, else the {@code <release>} of the maven-compiler-plugin's
 * configuration (in {@code <plugins>} or {@code <pluginManagement>}), else {@code maven.compiler.target},
 * else {@code maven.compiler.source}. A pom that says none of these is looked past to its parent
 * ({@code <parent><relativePath>}, by default {@code ../pom.xml}), and properties ({@code ${java.version}})
 * are resolved through the same chain. {@code 1.8} counts as 8. Documented in checker/docs/config.md.
 */
public final class PomRelease {

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  /** A release and where it was read, for the run's note. */
  public record Found(int release, Path pom, String what) {}

  private PomRelease() {}

  /** The release for the project around {@code path}, if a pom above it says one. */
  public static Optional<Found> near(Path path) {
    return ConfigFile.nearest(path, "pom.xml", false).flatMap(PomRelease::of);
  }

  /** The release {@code pom} (or one of its parents) compiles for. */
  public static Optional<Found> of(Path pom) {
    Map<String, String> props = new HashMap<>();
    Set<Path> seen = new HashSet<>();
    Found found = null;
    String foundRaw = null;
    for (Path p = pom.toAbsolutePath().normalize(); p != null && seen.add(p) && Files.isRegularFile(p); ) {
      Element project = parse(p);
      if (project == null || !project.name.equals("project")) {
        break;
      }
      Element properties = child(project, "properties");
      if (properties != null) {
        for (Element e : properties.children) {
          props.putIfAbsent(e.name, e.text());
        }
      }
      if (found == null) {
        String[][] candidates = {
          {props.get("maven.compiler.release"), "maven.compiler.release"},
          {compilerPluginRelease(project), "maven-compiler-plugin <release>"},
          {props.get("maven.compiler.target"), "maven.compiler.target"},
          {props.get("maven.compiler.source"), "maven.compiler.source"},
        };
        for (String[] c : candidates) {
          if (c[0] != null && !c[0].isBlank()) {
            foundRaw = c[0];
            found = new Found(0, p, c[1]);
            break;
          }
        }
      }
      Element parent = child(project, "parent");
      if (parent == null) {
        break;
      }
      Element rel = child(parent, "relativePath");
      String relPath = rel == null ? "../pom.xml" : rel.text();
      if (relPath.isEmpty()) {
        break;
      }
      Path next = p.getParent().resolve(relPath).normalize();
      p = Files.isDirectory(next) ? next.resolve("pom.xml") : next;
    }
    if (found == null) {
      return Optional.empty();
    }
    int release = parseRelease(resolve(foundRaw, props));
    return release > 0 ? Optional.of(new Found(release, found.pom(), found.what())) : Optional.empty();
  }

  /** {@code 21}, {@code 1.8}, {@code 17.0}: the feature release, or 0 when it is not a number. */
  public static int parseRelease(String raw) {
    String s = raw.strip();
    if (s.startsWith("1.")) {
      s = s.substring(2);
    }
    int dot = s.indexOf('.');
    if (dot > 0) {
      s = s.substring(0, dot);
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String resolve(String value, Map<String, String> props) {
    String v = value;
    for (int i = 0; i < 5 && v.contains("${"); i++) {
      Matcher m = PROPERTY.matcher(v);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(props.getOrDefault(m.group(1), "")));
      }
      m.appendTail(sb);
      v = sb.toString();
    }
    return v;
  }

  private static String compilerPluginRelease(Element project) {
    Element build = child(project, "build");
    if (build == null) {
      return null;
    }
    for (Element plugins : new Element[] {child(build, "plugins"), child(child(build, "pluginManagement"), "plugins")}) {
      if (plugins == null) {
        continue;
      }
      for (Element plugin : plugins.children) {
        if (plugin.name.equals("plugin")) {
          Element id = child(plugin, "artifactId");
          if (id != null && id.text().equals("maven-compiler-plugin")) {
            Element release = child(child(plugin, "configuration"), "release");
            if (release != null) {
              return release.text();
            }
          }
        }
      }
    }
    return null;
  }

  private static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Element e : parent.children) {
      if (e.name.equals(name)) {
        return e;
      }
    }
    return null;
  }

  /**
   * An element of a pom: its name, its text and its child elements. Poms are plain XML (elements, text,
   * comments, a prolog), read here by a small scanner: the JDK's XML parsers cost a few hundred
   * milliseconds to start, more than the rest of a one-file run.
   */
  static final class Element {
    final String name;
    final StringBuilder text = new StringBuilder();
    final List<Element> children = new ArrayList<>();

    Element(String name) {
      this.name = name;
    }

    String text() {
      return text.toString().strip();
    }
  }

  /** The root element, or null when the text is not well-formed enough to read. */
  static Element parseXml(String xml) {
    Deque<Element> open = new ArrayDeque<>();
    Element root = null;
    int i = 0;
    int n = xml.length();
    while (i < n) {
      int lt = xml.indexOf('<', i);
      if (lt < 0) {
        break;
      }
      if (!open.isEmpty()) {
        open.peek().text.append(unescape(xml.substring(i, lt)));
      }
      if (xml.startsWith("<!--", lt)) {
        int end = xml.indexOf("-->", lt + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      if (xml.startsWith("<![CDATA[", lt)) {
        int end = xml.indexOf("]]>", lt + 9);
        if (end < 0) {
          return null;
        }
        if (!open.isEmpty()) {
          open.peek().text.append(xml, lt + 9, end);
        }
        i = end + 3;
        continue;
      }
      int gt = xml.indexOf('>', lt);
      if (gt < 0) {
        return null;
      }
      String tag = xml.substring(lt + 1, gt);
      i = gt + 1;
      if (tag.startsWith("?") || tag.startsWith("!")) {
        continue; // prolog, doctype
      }
      if (tag.startsWith("/")) {
        String name = tag.substring(1).strip();
        if (open.isEmpty() || !open.peek().name.equals(name)) {
          return null;
        }
        Element done = open.pop();
        if (open.isEmpty()) {
          root = done;
        }
        continue;
      }
      boolean selfClosing = tag.endsWith("/");
      String body = selfClosing ? tag.substring(0, tag.length() - 1) : tag;
      int sp = 0;
      while (sp < body.length() && !Character.isWhitespace(body.charAt(sp))) {
        sp++;
      }
      Element e = new Element(body.substring(0, sp));
      if (e.name.isEmpty()) {
        return null;
      }
      if (!open.isEmpty()) {
        open.peek().children.add(e);
      } else if (root != null) {
        return null; // a second root
      }
      if (selfClosing) {
        if (open.isEmpty()) {
          root = e;
        }
      } else {
        open.push(e);
      }
    }
    return open.isEmpty() ? root : null;
  }

  private static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  private static Element parse(Path pom) {
    try {
      return parseXml(Files.readString(pom, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
