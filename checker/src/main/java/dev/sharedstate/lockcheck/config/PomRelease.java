package dev.sharedstate.lockcheck.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

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
    Path dir = path.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    for (Path d = dir; d != null; d = d.getParent()) {
      Path pom = d.resolve("pom.xml");
      if (Files.isRegularFile(pom)) {
        return of(pom);
      }
    }
    return Optional.empty();
  }

  /** The release {@code pom} (or one of its parents) compiles for. */
  public static Optional<Found> of(Path pom) {
    Map<String, String> props = new HashMap<>();
    Set<Path> seen = new HashSet<>();
    Found found = null;
    String foundRaw = null;
    for (Path p = pom.toAbsolutePath().normalize(); p != null && seen.add(p) && Files.isRegularFile(p); ) {
      Document doc = parse(p);
      if (doc == null) {
        break;
      }
      Element project = doc.getDocumentElement();
      Element properties = child(project, "properties");
      if (properties != null) {
        for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e) {
            props.putIfAbsent(e.getTagName(), e.getTextContent().strip());
          }
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
      String relPath = rel == null ? "../pom.xml" : rel.getTextContent().strip();
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
      for (Node n = plugins.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element plugin && plugin.getTagName().equals("plugin")) {
          Element id = child(plugin, "artifactId");
          if (id != null && id.getTextContent().strip().equals("maven-compiler-plugin")) {
            Element release = child(child(plugin, "configuration"), "release");
            if (release != null) {
              return release.getTextContent().strip();
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
    NodeList kids = parent.getChildNodes();
    for (int i = 0; i < kids.getLength(); i++) {
      if (kids.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static Document parse(Path pom) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // silent: a bad pom is skipped
      return b.parse(pom.toFile());
    } catch (ParserConfigurationException | SAXException | IOException e) {
      return null;
    }
  }
}
