import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures ./learn book against its speed bars, over HTTP as a browser would use it (run by
 * book-bench.sh, which starts the server on a copy of the checkout):
 *
 *   java BookBench.java URL CHECKOUT [ROUNDS]
 *
 * home and chapter pages served (bar: <= 200 ms); the first Run of a page (bar: <= 2.5 s), clicked
 * as the page loads (its JShell starts then) and two seconds after it opened (its JShell started
 * when the browser opened the page's event stream); a warm Run of a trivial snippet (bar: <= 300 ms); a saved solution's status
 * reaching the page (bar: <= 2 s). Each figure: median, 95th percentile and worst of ROUNDS.
 */
public class BookBench {
  static HttpClient http = HttpClient.newHttpClient();
  static String base;
  static String token;
  static int port;

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    Path checkout = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    port = url.getPort();
    base = "http://127.0.0.1:" + port + "/";
    token = url.getQuery().substring("token=".length());
    String chapter = "chapters/07-lock-across-a-blocking-call.html";

    for (int i = 0; i < 5; i++) { // warm the server's JIT a little, as a reader's first clicks do
      get("");
      get(chapter);
    }
    report("home page served", times(rounds, () -> get("")), 200);
    report("chapter 7 page served", times(rounds, () -> get(chapter)), 200);

    List<Long> first = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    int pages = Math.max(3, rounds / 4);
    for (int p = 0; p < pages; p++) {
      String page = pageId(get(chapter).body());
      first.add(run(page, 0, null));
      for (int i = 0; i < Math.max(1, rounds / pages); i++) {
        warm.add(run(page, 0, "var answer = 6 * 7;"));
      }
      post("api/reset", "{\"page\":\"" + page + "\"}");
    }
    report("first Run, clicked as the page loads", first, 2500);
    // As a reader uses it: the page is open in a browser (its event stream connected, which starts its
    // JShell) and Run is clicked two seconds later.
    List<Long> opened = new ArrayList<>();
    for (int p = 0; p < pages; p++) {
      String page = pageId(get(chapter).body());
      var stream = http.send(HttpRequest.newBuilder(URI.create(base + "api/events?page=" + page))
          .header("Authorization", "token " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
      Thread.sleep(2000);
      opened.add(run(page, 0, null));
      post("api/reset", "{\"page\":\"" + page + "\"}");
      stream.body().close();
    }
    report("first Run, 2 s after the page opened", opened, 2500);
    report("warm Run of a trivial snippet", warm, 300);
    report("saved solution shown as passed", exerciseFlip(checkout, Math.max(3, rounds / 5)), 2000);
  }

  interface Timed { void run() throws Exception; }

  static List<Long> times(int n, Timed t) throws Exception {
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      t.run();
      ms.add((System.nanoTime() - t0) / 1_000_000);
    }
    return ms;
  }

  static void report(String what, List<Long> ms, long bar) {
    List<Long> s = new ArrayList<>(ms);
    Collections.sort(s);
    long median = s.get(s.size() / 2);
    long p95 = s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.95) - 1));
    long worst = s.getLast();
    System.out.printf("%-42s median %5d ms  p95 %5d ms  worst %5d ms  (n=%d)  bar <= %d ms: %s%n", what, median, p95,
        worst, s.size(), bar, median <= bar ? (worst <= bar ? "met" : "met at the median") : "NOT met");
  }

  static HttpResponse<String> get(String path) throws Exception {
    var res = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "token " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + res.statusCode() + " " + res.body());
    }
    return res;
  }

  static HttpResponse<java.io.InputStream> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "token " + token)
        .header("Origin", "http://127.0.0.1:" + port).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  static String pageId(String html) {
    Matcher m = Pattern.compile("data-page=\"([0-9a-f]+)\"").matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no page id in the chapter page");
    }
    return m.group(1);
  }

  /** POSTs a run and reads its event stream up to the block's end event: what the reader waits for. */
  static long run(String page, int block, String code) throws Exception {
    String body = "{\"page\":\"" + page + "\",\"block\":" + block
        + (code == null ? "" : ",\"code\":\"" + code.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + "}";
    long t0 = System.nanoTime();
    var res = post("api/run", body);
    try (var in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.contains("\"type\":\"end\"") && line.contains("\"block\":" + block + ",")) {
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (!line.contains("\"status\":\"passed\"") && !line.contains("output differs")) {
            throw new IllegalStateException("the run failed: " + line);
          }
          return ms;
        }
      }
    }
    throw new IllegalStateException("no end event");
  }

  /** Saves ex01's reference as the starter, times the status event, restores the starter; a few times. */
  static List<Long> exerciseFlip(Path checkout, int n) throws Exception {
    Path ex = checkout.resolve("exercises/ex01-share-the-map");
    Path ref = ex.resolve("reference/dev/sharedstate/exercises/ex01/reference/ShareTheMap.java");
    Path starter = ex.resolve("src/dev/sharedstate/exercises/ex01/ShareTheMap.java");
    String original = Files.readString(starter);
    String solved = Files.readString(ref).replace("package dev.sharedstate.exercises.ex01.reference;",
        "package dev.sharedstate.exercises.ex01;");
    List<Long> ms = new ArrayList<>();
    var events = http.send(HttpRequest.newBuilder(URI.create(base + "api/events")).header("Authorization", "token " + token)
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    var reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < n; i++) {
        Thread.sleep(600); // the watcher's previous round is over
        long t0 = System.nanoTime();
        Files.writeString(starter, solved + "\n// round " + i + "\n");
        String status = awaitStatus(reader, "ex01-share-the-map", 30);
        ms.add((System.nanoTime() - t0) / 1_000_000);
        if (!status.equals("passed")) {
          throw new IllegalStateException("ex01 graded " + status + " with its reference solution");
        }
        Files.writeString(starter, original);
        awaitStatus(reader, "ex01-share-the-map", 30);
      }
    } finally {
      Files.writeString(starter, original);
      events.body().close();
    }
    return ms;
  }

  static String awaitStatus(BufferedReader reader, String exercise, int seconds) throws Exception {
    var f = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        boolean status = false;
        while ((line = reader.readLine()) != null) {
          if (line.equals("event: status")) {
            status = true;
          } else if (status && line.startsWith("data: ") && line.contains("\"exercise\":\"" + exercise + "\"")) {
            Matcher m = Pattern.compile("\"status\":\"([a-z-]+)\"").matcher(line);
            return m.find() ? m.group(1) : "?";
          } else if (line.isEmpty()) {
            status = false;
          }
        }
        return "closed";
      } catch (Exception e) {
        return "error " + e;
      }
    });
    return f.get(seconds, TimeUnit.SECONDS);
  }
}
