import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.CompilationUnit;
import dev.sharedstate.lockcheck.source.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The benchmark's baseline: parse every *.java file under the given directories with JavaParser as
 * it parses at lockcheck's language level (JAVA_25 with that level's validation, no comment
 * attribution, tokens stored: {@code Parsers.validatingConfiguration()}), on the same number of
 * threads (all processors), and do nothing else. Prints "parsed N files, F failed".
 */
public final class ParseOnly {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Stream.of(args).map(Path::of).flatMap(ParseOnly::walk)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    int threads = Runtime.getRuntime().availableProcessors();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> new Thread(null, r, "parse-" + n.incrementAndGet(), 512L * 1024 * 1024));
    List<Future<?>> done = files.stream().<Future<?>>map(f -> pool.submit(() -> {
      try {
        String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        ParseResult<CompilationUnit> r = new JavaParser(Parsers.validatingConfiguration()).parse(text);
        if (!r.isSuccessful()) {
          failed.incrementAndGet();
        }
      } catch (Throwable e) {
        failed.incrementAndGet();
      }
    })).toList();
    for (Future<?> d : done) {
      d.get();
    }
    pool.shutdown();
    System.out.println("parsed " + files.size() + " files, " + failed.get() + " failed, " + threads + " threads");
  }

  private static Stream<Path> walk(Path p) {
    try {
      return Files.walk(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
