import java.nio.file.Path;
import net.sourceforge.pmd.PMDConfiguration;
import net.sourceforge.pmd.PmdAnalysis;
import net.sourceforge.pmd.lang.LanguageRegistry;
import net.sourceforge.pmd.reporting.Report;

/**
 * The benchmark's PMD side: PMD 7 running one rule ({@code AvoidSynchronizedStatement} by default, or
 * the rule reference given with {@code -Drule=...}) over the given directories, as its CLI would with
 * {@code --no-cache}, on all processors. Prints "pmd: N files, V violations, E errors". Run by bench.sh
 * with the class path Maven resolves for bench/pmd/pom.xml.
 */
public final class PmdOneRule {
  public static void main(String[] args) {
    PMDConfiguration c = new PMDConfiguration();
    c.setIgnoreIncrementalAnalysis(true); // --no-cache
    c.setThreads(Runtime.getRuntime().availableProcessors());
    c.addRuleSet(System.getProperty("rule", "category/java/multithreading.xml/AvoidSynchronizedStatement"));
    var java = LanguageRegistry.PMD.getLanguageById("java");
    var version = java.getVersion(System.getProperty("javaVersion", "25"));
    c.setDefaultLanguageVersion(version);
    c.setOnlyRecognizeLanguage(java);
    for (String a : args) {
      c.addInputPath(Path.of(a));
    }
    try (PmdAnalysis pmd = PmdAnalysis.create(c)) {
      int files = pmd.files().getCollectedFiles().size();
      Report r = pmd.performAnalysisAndCollectReport();
      System.out.println("pmd " + version + ": " + files + " files, " + r.getViolations().size()
          + " violations, " + r.getProcessingErrors().size() + " errors, " + c.getThreads() + " threads");
    }
  }
}
