package dev.sharedstate.kv;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads and initializes every class of a package tree up front. The JVM loads a class on first use,
 * and loading one from a class directory or jar opens a file: if that first use comes while the
 * process is out of file descriptors, the load fails, and the JVM then fails every later use of that
 * class the same way (JVMS 5.4.3: a failed resolution is remembered). A server that ran out of
 * descriptors once would refuse {@code SET} forever. Loading everything at start avoids that.
 */
public final class Preload {
  private Preload() {}

  /**
   * Loads every class in {@code anchor}'s package and its subpackages, from where {@code anchor} came
   * from; with {@code initialize}, also runs their static initializers (do that only for code whose
   * initializers are known to be harmless: loading is what needs the file).
   */
  public static int packageTree(Class<?> anchor, boolean initialize) {
    String pkg = anchor.getPackageName();
    String prefix = pkg.replace('.', '/') + "/";
    var names = new ArrayList<String>();
    try {
      var source = anchor.getProtectionDomain().getCodeSource();
      if (source == null) return 0;
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isDirectory(location)) {
        Path dir = location.resolve(prefix);
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(p -> p.toString().endsWith(".class"))
              .forEach(p -> names.add(className(location.relativize(p).toString().replace('\\', '/'))));
        }
      } else {
        try (var jar = new JarFile(location.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(prefix) && n.endsWith(".class")) names.add(className(n));
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return 0; // best effort: the classes then load on first use, as usual
    }
    return load(names, anchor.getClassLoader(), initialize);
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }

  private static int load(List<String> names, ClassLoader loader, boolean initialize) {
    int loaded = 0;
    for (String n : names) {
      if (n.endsWith("module-info") || n.endsWith("package-info")) continue;
      try {
        Class.forName(n, initialize, loader);
        loaded++;
      } catch (ReflectiveOperationException | LinkageError e) {
        // A class that cannot be loaded now would not load later either; skip it.
      }
    }
    return loaded;
  }
}
