package dev.sharedstate.lockcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Opt-in (tag {@code jdk}, excluded from the default run): lockcheck over the JDK's own sources,
 * {@code lib/src.zip} of the JDK running the tests, extracted once into {@code target/jdk-src}.
 * Asserts no crash (no internal error on any file) and that the fast mode loses no finding: the
 * default run (token pre-filter, then bodies that cannot matter blanked before parsing, see
 * {@code source.Skeleton}) and the full run ({@code withPrefilter(false)}, the CLI's
 * {@code --no-prefilter}: every file parsed with every body) report exactly the same findings.
 * Writes the findings and both timings to {@code target/jdk-findings.txt}. Takes a few minutes on
 * two cores. Run it with:
 * {@code mvn -pl checker -am test -Dlockcheck.groups=jdk -Dlockcheck.excludedGroups= -Dtest=JdkSourcesTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("jdk")
class JdkSourcesTest {

  static Path extractedJdkSources() throws IOException {
    Path target = Path.of("target/jdk-src");
    Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    if (Files.isDirectory(target) && Files.exists(target.resolve("java.base"))) {
      return target;
    }
    assertTrue(Files.exists(zip), "this JDK has no " + zip);
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          continue;
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(z, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }

  @Test
  @Timeout(1800)
  void noCrashAndThePrefilterLosesNothing() throws IOException {
    Path src = extractedJdkSources();
    long t0 = System.nanoTime();
    CheckResult fast = Lockcheck.withDefaults().check(List.of(src));
    long t1 = System.nanoTime();
    CheckResult full = Lockcheck.withDefaults().withPrefilter(false).check(List.of(src));
    long t2 = System.nanoTime();

    List<String> report = new ArrayList<>();
    report.add(String.format("files %d, findings %d (suppressed %d), problems %d; prefilter %.1fs, full parse %.1fs",
        fast.filesChecked(), fast.reported().size(), fast.findings().size() - fast.reported().size(),
        fast.problems().size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    for (InputProblem p : full.problems()) {
      report.add("problem " + p.file() + ":" + p.line() + ":" + p.column() + " " + p.reason());
    }
    for (Finding f : fast.findings()) {
      report.add(f.file() + ":" + f.line() + ":" + f.column() + " " + f.message());
    }
    Files.write(Path.of("target/jdk-findings.txt"), report);
    System.out.println(report.get(0));

    for (CheckResult r : List.of(fast, full)) {
      assertTrue(r.filesChecked() > 10_000, "src.zip has ~15,000 files: " + r.filesChecked());
      assertTrue(r.problems().stream().noneMatch(p -> p.reason().contains("internal error")), r.problems().toString());
    }
    assertEquals(keys(full), keys(fast), "the pre-filter must not lose (or add) a finding");
  }

  private static TreeSet<String> keys(CheckResult r) {
    TreeSet<String> s = new TreeSet<>();
    for (Finding f : r.findings()) {
      s.add(f.file() + ":" + f.line() + ":" + f.column() + " " + f.message());
    }
    return s;
  }
}
