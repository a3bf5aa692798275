package dev.sharedstate.lockcheck.fuzz;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.InputProblem;
import dev.sharedstate.lockcheck.Lockcheck;
import dev.sharedstate.lockcheck.config.ProjectConfig;
import dev.sharedstate.lockcheck.report.JsonReport;
import dev.sharedstate.lockcheck.report.SarifReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A mutation fuzzer for the engine: mutants of the seeds (see {@link Mutator}) go through
 * {@link Lockcheck#checkSource} (release 21, the seeds' {@code lockcheck.yaml} files applied) with the pre-filter off (everything parsed and analysed) and on, and
 * through the JSON and SARIF renderers. Counted as a <em>crash</em>: an exception or error escaping,
 * or an "internal error" problem (a stack overflow must come back as its own "too deeply nested"
 * problem); a <em>hang</em>: an input not done within the time bound; a <em>mismatch</em>: a finding
 * the full analysis reports that the pre-filtered run loses. Each bad input is saved with its reason
 * under the output folder. Input {@code i} depends only on the seeds, the run's seed and {@code i}, so
 * runs are reproducible at any thread count ({@code --from i --count i+1} replays one).
 *
 * <p>A hung analysis thread cannot be stopped inside a JVM and would eat a processor for the rest of
 * the run, so {@link #main} supervises: the inputs run in a child JVM that exits on a hang, and a new
 * child takes over after it. {@code checker/fuzz/fuzz.sh [N]} runs it; exit code 0 only when nothing
 * was found.
 */
public final class Fuzz {

  /** What a run found. */
  public record Summary(long inputs, long crashes, long hangs, long mismatches, long findings, long problems,
      long stackOverflows, double seconds) {
    boolean clean() {
      return crashes == 0 && hangs == 0 && mismatches == 0;
    }

    String line() {
      return String.format(Locale.ROOT,
          "fuzz: %,d inputs in %.1f s (%,.0f inputs/s): %d crashes, %d hangs, %d pre-filter mismatches"
              + " | %,d findings, %,d inputs not analysed (%,d of them too deeply nested)",
          inputs, seconds, inputs / Math.max(seconds, 1e-9), crashes, hangs, mismatches, findings, problems,
          stackOverflows);
    }
  }

  /** Run settings: inputs {@code from} (inclusive) to {@code count} (exclusive) of mutation seed {@code seed}. */
  public record Config(long from, long count, long seed, int threads, int timeoutSeconds, List<Path> seedRoots,
      Path out, PrintStream log) {}

  /** The outcome of one input; {@code kind} is ok, crash, hang or mismatch. */
  record Result(long index, String kind, int findings, int problems, int stackOverflows) {
    String wire() {
      return "R " + index + " " + kind + " " + findings + " " + problems + " " + stackOverflows;
    }

    static Result parse(String line) {
      String[] f = line.split(" ");
      return new Result(Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
          Integer.parseInt(f[5]));
    }
  }

  private Fuzz() {}

  public static void main(String[] args) throws Exception {
    long from = 0;
    long count = 100_000;
    long seed = 1;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    int timeout = 10;
    Path out = Path.of("checker/target/fuzz-crashes");
    boolean worker = false;
    Set<Long> skip = new TreeSet<>();
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--from" -> from = Long.parseLong(args[++i]);
        case "--count" -> count = Long.parseLong(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--timeout" -> timeout = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--worker" -> worker = true;
        case "--skip" -> Arrays.stream(args[++i].split(",")).filter(s -> !s.isEmpty()).map(Long::parseLong)
            .forEach(skip::add);
        default -> roots.add(Path.of(args[i]));
      }
    }
    if (roots.isEmpty()) {
      System.err.println("usage: Fuzz [--count N] [--from I] [--seed S] [--threads T] [--timeout SECONDS]"
          + " [--out DIR] SEED_DIR...");
      System.exit(2);
    }
    Config c = new Config(from, count, seed, threads, timeout, roots, out, System.out);
    if (worker) {
      // one line per input on stdout for the supervisor; a hang ends this JVM and its stuck thread
      loop(c, skip, r -> System.out.println(r.wire()), true);
      System.out.flush();
      System.exit(0);
    }
    Summary s = supervise(c, args);
    System.out.println(s.line());
    System.exit(s.clean() ? 0 : 1);
  }

  /** Runs the inputs in child JVMs, starting a new one after each hang, and adds up their results. */
  static Summary supervise(Config c, String[] args) throws IOException, InterruptedException {
    List<String> seedTexts = Seeds.load(c.seedRoots());
    c.log().printf("fuzz: %d seeds from %s; inputs %,d to %,d, seed %d, %d threads, %d s per input%n",
        seedTexts.size(), c.seedRoots(), c.from(), c.count(), c.seed(), c.threads(), c.timeoutSeconds());
    String java = ProcessHandle.current().info().command().orElse("java");
    Set<Long> done = new TreeSet<>();
    long[] totals = new long[6]; // crashes, hangs, mismatches, findings, problems, overflows
    long t0 = System.nanoTime();
    long total = c.count() - c.from();
    long step = Math.max(1, total / 20);
    long from = c.from();
    while (from < c.count()) {
      long start = from;
      String skip = done.stream().filter(i -> i > start).map(String::valueOf).collect(Collectors.joining(","));
      List<String> cmd = new ArrayList<>(List.of(java, "-Xss4m", "-cp", System.getProperty("java.class.path"),
          Fuzz.class.getName(), "--worker", "--from", String.valueOf(from), "--skip", skip));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.startsWith("R ")) {
            c.log().println(line);
            continue;
          }
          Result res = Result.parse(line);
          if (!done.add(res.index())) {
            continue;
          }
          switch (res.kind()) {
            case "crash" -> totals[0]++;
            case "hang" -> totals[1]++;
            case "mismatch" -> totals[2]++;
            default -> { }
          }
          totals[3] += res.findings();
          totals[4] += res.problems();
          totals[5] += res.stackOverflows();
          if (!res.kind().equals("ok")) {
            c.log().printf("fuzz: %s on input %d (saved under %s)%n", res.kind(), res.index(), c.out());
          }
          if (done.size() % step == 0) {
            double s = (System.nanoTime() - t0) / 1e9;
            c.log().printf(Locale.ROOT, "fuzz: %,d / %,d inputs, %.0f s, %,.0f inputs/s, %d crashes, %d hangs%n",
                done.size(), total, s, done.size() / s, totals[0], totals[1]);
          }
        }
      }
      int exit = p.waitFor();
      long next = from;
      while (next < c.count() && done.contains(next)) {
        next++;
      }
      if (next == from && exit != 0) {
        throw new IOException("the fuzz worker failed (exit " + exit + ") before finishing input " + from);
      }
      from = next;
    }
    return new Summary(done.size(), totals[0], totals[1], totals[2], totals[3], totals[4], totals[5],
        (System.nanoTime() - t0) / 1e9);
  }

  /** In-process run of all inputs (hangs are counted, their threads left running): for tests. */
  public static Summary run(Config c) throws IOException, InterruptedException {
    long[] totals = new long[7];
    long t0 = System.nanoTime();
    loop(c, Set.of(), r -> {
      synchronized (totals) {
        totals[0]++;
        switch (r.kind()) {
          case "crash" -> totals[1]++;
          case "hang" -> totals[2]++;
          case "mismatch" -> totals[3]++;
          default -> { }
        }
        totals[4] += r.findings();
        totals[5] += r.problems();
        totals[6] += r.stackOverflows();
      }
    }, false);
    return new Summary(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6],
        (System.nanoTime() - t0) / 1e9);
  }

  private static void loop(Config c, Set<Long> skip, Consumer<Result> sink, boolean exitOnHang)
      throws IOException, InterruptedException {
    List<List<String>> seeds = Seeds.load(c.seedRoots()).stream().map(Mutator::tokens).toList();
    if (seeds.isEmpty()) {
      throw new IOException("no seeds under " + c.seedRoots());
    }
    Lockcheck configured = configured(c.seedRoots());
    Lockcheck full = configured.withPrefilter(false);
    Lockcheck filtered = configured.withPrefilter(true);
    AtomicLong next = new AtomicLong(c.from());
    AtomicInteger saved = new AtomicInteger();
    List<Thread> drivers = new ArrayList<>();
    for (int d = 0; d < c.threads(); d++) {
      Thread driver = new Thread(() -> {
        ExecutorService worker = newWorker();
        try {
          for (long i; (i = next.getAndIncrement()) < c.count(); ) {
            if (skip.contains(i)) {
              continue;
            }
            String input = input(seeds, c.seed(), i);
            Future<Outcome> verdict = worker.submit(() -> verdict(input, full, filtered));
            Outcome o;
            try {
              o = verdict.get(c.timeoutSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
              verdict.cancel(true);
              worker.shutdownNow();
              worker = newWorker(); // the stuck thread is a daemon; carry on with a fresh one
              o = new Outcome("hang", "no verdict within " + c.timeoutSeconds() + " s; analysis threads then:\n"
                  + analysisStacks(), 0, 0, 0);
            } catch (ExecutionException e) {
              o = new Outcome("crash", "escaped: " + stack(e.getCause()), 0, 0, 0);
            }
            if (!o.kind().equals("ok") && saved.incrementAndGet() <= 200) {
              save(c.out(), o.kind(), i, input, o.reason());
            }
            sink.accept(new Result(i, o.kind(), o.findings(), o.problems(), o.overflows()));
            if (exitOnHang && o.kind().equals("hang")) {
              System.out.flush();
              Runtime.getRuntime().halt(3);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          worker.shutdownNow();
        }
      }, "fuzz-driver-" + d);
      driver.start();
      drivers.add(driver);
    }
    for (Thread d : drivers) {
      d.join();
    }
  }

  /**
   * The checker under test: release 21 (pinning findings on) and every {@code lockcheck.yaml} found
   * under the seed folders applied (the fixtures' lock wrappers, lock/unlock pairs, blocking methods).
   */
  static Lockcheck configured(List<Path> seedRoots) throws IOException {
    Lockcheck checker = Lockcheck.withDefaults().withRelease(21).withThreads(1);
    for (Path root : seedRoots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> configs;
      try (var walk = Files.walk(root)) {
        configs = walk.filter(p -> p.getFileName().toString().equals(ProjectConfig.FILE_NAME))
            .filter(p -> !p.toString().contains("/target/")).sorted().toList();
      }
      for (Path config : configs) {
        checker = ProjectConfig.read(config).applyTo(checker);
      }
    }
    return checker;
  }

  private record Outcome(String kind, String reason, int findings, int problems, int overflows) {}

  /** Input {@code i}: a function of the seed list, the run's seed and {@code i} only. */
  static String input(List<List<String>> seeds, long runSeed, long i) {
    Random r = new Random(runSeed * 0x9E3779B97F4A7C15L + i);
    List<String> base = seeds.get(r.nextInt(seeds.size()));
    if (r.nextInt(50) == 0) {
      return String.join("", base); // now and then a seed as it is
    }
    return Mutator.mutate(base, seeds.get(r.nextInt(seeds.size())), r);
  }

  private static Outcome verdict(String input, Lockcheck full, Lockcheck filtered) {
    CheckResult all = full.checkSource("Fuzz.java", input);
    String bad = internalError(all);
    if (bad != null) {
      return new Outcome("crash", bad, 0, 0, 0);
    }
    int overflows = (int) all.problems().stream().filter(p -> p.reason().contains("stack overflow")).count();
    JsonReport.render(all, "fuzz");
    SarifReport.render(all, "fuzz", Path.of(""));
    if (all.findings().isEmpty()) {
      // the pre-filter can only lose findings; with none to lose, one analysis is enough
      return new Outcome("ok", "", 0, all.problems().size(), overflows);
    }
    CheckResult quick = filtered.checkSource("Fuzz.java", input);
    bad = internalError(quick);
    if (bad != null) {
      return new Outcome("crash", "(pre-filtered run) " + bad, 0, 0, 0);
    }
    List<String> lost = new ArrayList<>(keys(all.findings()));
    lost.removeAll(keys(quick.findings()));
    return new Outcome(lost.isEmpty() ? "ok" : "mismatch", "the pre-filtered run loses " + lost,
        all.findings().size(), all.problems().size(), overflows);
  }

  /** An "internal error" problem: what the engine reports when its analysis threw. */
  private static String internalError(CheckResult r) {
    for (InputProblem p : r.problems()) {
      if (p.reason().toLowerCase(Locale.ROOT).contains("internal error")) {
        return "problem at " + p.line() + ":" + p.column() + ": " + p.reason();
      }
    }
    return null;
  }

  private static List<String> keys(List<Finding> fs) {
    return fs.stream().map(f -> f.line() + ":" + f.column() + " " + f.ruleId()).toList();
  }

  /** The top frames of lockcheck's analysis threads: where a hang is stuck (parser or analysis). */
  private static String analysisStacks() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().startsWith("lockcheck")) {
        sb.append(e.getKey().getName()).append('\n');
        Arrays.stream(e.getValue()).limit(25).forEach(f -> sb.append("\tat ").append(f).append('\n'));
      }
    }
    return sb.toString();
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-worker");
      t.setDaemon(true);
      return t;
    });
  }

  private static void save(Path dir, String kind, long id, String input, String reason) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(kind + "-" + id + ".java.txt"), input, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(kind + "-" + id + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
  }

  private static String stack(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }
}
