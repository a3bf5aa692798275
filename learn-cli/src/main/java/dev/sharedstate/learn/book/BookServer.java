package dev.sharedstate.learn.book;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sharedstate.chapters.markdown.Block;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.run.RunOptions;
import dev.sharedstate.learn.Workspace;
import dev.sharedstate.learn.exercises.Exercise;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.commonmark.ext.heading.anchor.IdGenerator;

/**
 * {@code ./learn book}'s web server: the JDK's {@code com.sun.net.httpserver} on 127.0.0.1 only, a
 * virtual thread per exchange (so an open event stream holds no platform thread), every request
 * through the {@link Guard}. Pages come from {@link Site}, files from {@link Assets}; the API runs and
 * checks blocks ({@link PageSession}, {@link BlockCheck}), gives hints and solutions as {@code ./learn
 * hint} and {@code ./learn solution} do, and streams status ({@link Events}, {@link ExerciseWatch}).
 */
public final class BookServer implements AutoCloseable {

  /**
   * How the server runs.
   *
   * @param port the port on 127.0.0.1, 0 for any free one
   * @param runOptions how snippets run (the chapters runner's defaults: what {@code mvn test} uses)
   * @param maxEngines how many pages may have a JShell at once
   * @param pageGrace how long a page's JShell outlives its closed tab
   * @param watchPoll how often the exercises are checked for saves
   */
  public record Config(int port, RunOptions runOptions, int maxEngines, Duration pageGrace, Duration watchPoll) {
    public static Config defaults() {
      return new Config(0, RunOptions.defaults(), 4, Duration.ofSeconds(60), Duration.ofMillis(200));
    }

    public Config withPort(int p) {
      return new Config(p, runOptions, maxEngines, pageGrace, watchPoll);
    }

    public Config withRunOptions(RunOptions o) {
      return new Config(port, o, maxEngines, pageGrace, watchPoll);
    }
  }

  /** Where a rule is explained: a chapter number and the words of its heading. */
  public record RuleSection(int chapter, String heading) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Workspace ws;
  private final HttpServer http;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Guard guard;
  private final Assets assets;
  private final Site site;
  private final PageSessions pages;
  private final Events events;
  private final Timelines timelines = new Timelines();
  private final ExerciseWatch watch;
  private final BlockCheck check;
  private final Path work;

  /**
   * Binds 127.0.0.1 (never another address) and starts serving.
   *
   * @param sections rule id → the chapter section that explains it
   */
  public static BookServer start(Workspace ws, Config config, Function<String, Optional<RuleSection>> sections)
      throws IOException {
    return new BookServer(ws, config, sections);
  }

  private BookServer(Workspace ws, Config config, Function<String, Optional<RuleSection>> sections) throws IOException {
    this.ws = ws;
    this.work = Files.createTempDirectory("learn-book");
    this.assets = new Assets();
    this.guard = new Guard(Guard.newToken(), assets.importMapHash());
    this.pages = new PageSessions(config.runOptions(), work, timelines, config.maxEngines(), config.pageGrace());
    this.events = new Events(pages);
    pages.onNotice((page, text) -> events.toPage(page, "notice", Map.of("text", text)));
    this.watch = new ExerciseWatch(ws, config.watchPoll(), s -> events.broadcast("status", s));
    this.site = new Site(ws, assets, Site.Flavor.LIVE, name -> watch.status(name).map(ExerciseWatch.Status::status)
        .orElse("not-started"));
    Links links = site.links();
    this.check = new BlockCheck(
        rule -> sections.apply(rule).flatMap(s -> ws.chapters().chapters().stream()
            .filter(c -> c.number() == s.chapter()).findFirst()
            .map(c -> new BlockCheck.Section("../" + Links.chapterPage(c.fileName()) + "#"
                + IdGenerator.builder().build().generateId(s.heading().replace("`", "")),
                "chapter " + c.number() + ": " + s.heading().replace("`", "")))),
        rule -> links.pageOf("checker/docs/rules/" + rule + ".md").map(p -> "../" + p));
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
    guard.port(http.getAddress().getPort());
    http.setExecutor(executor);
    var ctx = http.createContext("/", this::handle);
    ctx.getFilters().add(guard);
    http.start();
    watch.start();
    // The first Check pays for javac's start-up; pay it now, off the request path.
    Thread.ofVirtual().name("book-warm-up").start(() -> {
      try {
        check.check(new ChapterParser().parse(Path.of("warm.md"), "```java\nint x = 1;\n```\n").blocks().getFirst(),
            "int x = 1;");
      } catch (RuntimeException ignored) {
        // a warm-up only
      }
    });
  }

  /** The address to open: {@code http://127.0.0.1:PORT/?token=...}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port() + "/?token=" + guard.token());
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** The token (for the benchmark and tests, which send it as {@code Authorization: token ...}). */
  public String token() {
    return guard.token();
  }

  // ---- routing -----------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      if (path.startsWith("/api/")) {
        api(ex, method, path);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        Guard.refuse(ex, 405, "Pages are read with GET.");
        return;
      }
      if (path.startsWith("/assets/") || path.startsWith("/webjars/")) {
        var asset = assets.find(path);
        if (asset.isEmpty()) {
          notFound(ex, path);
          return;
        }
        ex.getResponseHeaders().set("Cache-Control", asset.get().immutable() ? "private, max-age=86400" : "no-cache");
        send(ex, 200, asset.get().contentType(), asset.get().bytes());
        return;
      }
      String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (decoded.equals("/") || decoded.equals("/index.html")) {
        html(ex, site.home());
      } else if (decoded.startsWith("/chapters/") && decoded.endsWith(".html")) {
        String name = decoded.substring("/chapters/".length(), decoded.length() - 5);
        var c = site.chapterByPage(name);
        if (c.isEmpty()) {
          notFound(ex, path);
          return;
        }
        html(ex, site.chapter(c.get(), pages::open).html());
      } else if (decoded.startsWith("/exercises/") && decoded.endsWith(".html")) {
        var e = site.exerciseByPage(decoded.substring("/exercises/".length(), decoded.length() - 5));
        if (e.isEmpty()) {
          notFound(ex, path);
          return;
        }
        html(ex, site.exercise(e.get()));
      } else if (decoded.startsWith("/docs/") && decoded.endsWith(".html")) {
        var page = site.doc(decoded.substring("/docs/".length(), decoded.length() - 5));
        if (page.isEmpty()) {
          notFound(ex, path);
          return;
        }
        html(ex, page.get());
      } else if (decoded.startsWith("/files/") && decoded.endsWith(".html")) {
        var page = site.file(decoded.substring("/files/".length(), decoded.length() - 5));
        if (page.isEmpty()) {
          notFound(ex, path);
          return;
        }
        html(ex, page.get());
      } else {
        notFound(ex, path);
      }
    } catch (IOException | RuntimeException e) {
      try {
        send(ex, 500, "text/plain; charset=utf-8", ("The book failed on this request: " + e + "\n")
            .getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // the response had started; the page sees a cut stream
      }
    } finally {
      ex.close();
    }
  }

  private void api(HttpExchange ex, String method, String path) throws IOException {
    if (method.equals("GET") && path.equals("/api/events")) {
      String page = query(ex, "page");
      Map<String, Object> hello = new LinkedHashMap<>();
      hello.put("statuses", watch.statuses().values());
      if (page != null && pages.get(page).isEmpty()) {
        hello.put("notice", "This page's session has ended (the server restarted, or the page was closed for a "
            + "while). Reload the page to run code again.");
      }
      events.serve(ex, page, hello);
      return;
    }
    if (method.equals("GET") && path.startsWith("/api/timeline/") && path.endsWith(".svg")) {
      String id = path.substring("/api/timeline/".length(), path.length() - 4);
      var svg = timelines.get(id);
      if (svg.isEmpty()) {
        notFound(ex, path);
        return;
      }
      ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      send(ex, 200, "image/svg+xml", svg.get().getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!method.equals("POST")) {
      Guard.refuse(ex, 405, "The book's API takes POST (events: GET /api/events).");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(ex.getRequestBody().readNBytes(2_000_000));
    } catch (IOException e) {
      json(ex, 400, Map.of("error", "the request is not JSON: " + e.getMessage()));
      return;
    }
    if (body == null || !body.isObject()) {
      json(ex, 400, Map.of("error", "the request must be a JSON object"));
      return;
    }
    switch (path) {
      case "/api/run" -> run(ex, body);
      case "/api/check" -> check(ex, body);
      case "/api/reset" -> {
        var s = pages.get(body.path("page").asText());
        if (s.isEmpty()) {
          json(ex, 410, Map.of("error", "this page's session has ended: reload the page"));
          return;
        }
        waitFor(s.get().reset());
        json(ex, 200, Map.of("ok", true));
      }
      case "/api/read" -> {
        int n = body.path("chapter").asInt(-1);
        if (ws.chapters().chapters().stream().noneMatch(c -> c.number() == n)) {
          json(ex, 404, Map.of("error", "no chapter " + n));
          return;
        }
        var p = ws.progress();
        p.markRead(n);
        p.save();
        json(ex, 200, Map.of("ok", true));
      }
      case "/api/hint" -> hint(ex, body);
      case "/api/solution" -> solution(ex, body);
      case "/api/grade" -> {
        var e = ws.exercises().find(body.path("exercise").asText(""));
        if (e.isEmpty()) {
          json(ex, 404, Map.of("error", "no such exercise"));
          return;
        }
        watch.gradeNow(e.get().name());
        json(ex, 202, Map.of("ok", true));
      }
      default -> notFound(ex, path);
    }
  }

  /** Runs a block; the answer is a stream of JSON lines, one per event, as they happen. */
  private void run(HttpExchange ex, JsonNode body) throws IOException {
    var s = pages.get(body.path("page").asText());
    if (s.isEmpty()) {
      json(ex, 410, Map.of("error", "this page's session has ended (the server restarted, or the page was closed "
          + "for a while): reload the page to run code again"));
      return;
    }
    PageSession session = s.get();
    int index = body.path("block").asInt(-1);
    List<Block> blocks = session.chapter().blocks();
    if (index < 0 || index >= blocks.size()) {
      json(ex, 400, Map.of("error", "no block " + index + " in this chapter"));
      return;
    }
    String code = body.path("code").isTextual() ? body.path("code").asText() : blocks.get(index).fullText();
    pages.makeRoomFor(session);
    BlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();
    Map<String, Object> done = new java.util.HashMap<>(); // the end of the stream, told apart by identity
    Future<Void> job = session.run(index, code, queue::add);
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      Thread.ofVirtual().start(() -> {
        try {
          job.get();
        } catch (Exception ignored) {
          // reported by the session as an end event
        }
        queue.add(done);
      });
      while (true) {
        Map<String, Object> e = queue.poll(15, TimeUnit.SECONDS);
        if (e == null) {
          out.write("{\"type\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          continue;
        }
        if (e == done) {
          break;
        }
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(e);
        queue.drainTo(batch);
        StringBuilder sb = new StringBuilder();
        boolean finished = false;
        for (Map<String, Object> ev : merged(batch)) {
          if (ev == done) {
            finished = true;
            break;
          }
          sb.append(JSON.writeValueAsString(ev)).append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (finished) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException pageWentAway) {
      // the run goes on; its page is gone
    }
  }

  /** Adjacent output of the same block and stream, sent as one event. */
  private static List<Map<String, Object>> merged(List<Map<String, Object>> batch) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : batch) {
      if (!out.isEmpty() && "out".equals(e.get("type"))) {
        Map<String, Object> last = out.getLast();
        if ("out".equals(last.get("type")) && last.get("block").equals(e.get("block"))
            && last.get("stream").equals(e.get("stream"))) {
          Map<String, Object> m = new LinkedHashMap<>(last);
          m.put("text", (String) last.get("text") + e.get("text"));
          out.set(out.size() - 1, m);
          continue;
        }
      }
      out.add(e);
    }
    return out;
  }

  private void check(HttpExchange ex, JsonNode body) throws IOException {
    var s = pages.get(body.path("page").asText());
    if (s.isEmpty()) {
      json(ex, 410, Map.of("error", "this page's session has ended: reload the page"));
      return;
    }
    int index = body.path("block").asInt(-1);
    List<Block> blocks = s.get().chapter().blocks();
    if (index < 0 || index >= blocks.size()) {
      json(ex, 400, Map.of("error", "no block " + index + " in this chapter"));
      return;
    }
    String code = body.path("code").isTextual() ? body.path("code").asText() : blocks.get(index).fullText();
    json(ex, 200, check.check(blocks.get(index), code));
  }

  private void hint(HttpExchange ex, JsonNode body) throws IOException {
    var e = ws.exercises().find(body.path("exercise").asText(""));
    if (e.isEmpty()) {
      json(ex, 404, Map.of("error", "no such exercise"));
      return;
    }
    List<String> hints = ws.exercises().hints(e.get());
    var p = ws.progress();
    int given = p.hintsGiven(e.get().name());
    if (given >= hints.size()) {
      json(ex, 200, Map.of("done", true, "total", hints.size()));
      return;
    }
    p.setHintsGiven(e.get().name(), given + 1);
    p.save();
    String page = Links.exercisePage(e.get().name());
    String repoFile = ws.root().relativize(e.get().readme().toAbsolutePath().normalize()).toString().replace('\\', '/');
    json(ex, 200, Map.of("number", given + 1, "total", hints.size(),
        "html", site.hintHtml(hints.get(given), repoFile, page)));
  }

  /** As {@code ./learn solution}: only once the exercise passes, or on an explicit give-up. */
  private void solution(HttpExchange ex, JsonNode body) throws IOException {
    var found = ws.exercises().find(body.path("exercise").asText(""));
    if (found.isEmpty()) {
      json(ex, 404, Map.of("error", "no such exercise"));
      return;
    }
    Exercise e = found.get();
    boolean giveUp = body.path("giveUp").asBoolean(false);
    if (!giveUp && !watch.status(e.name()).map(s -> s.status().equals("passed")).orElse(false)) {
      String status;
      try {
        status = watch.grade(e.name()).get(120, TimeUnit.SECONDS).status();
      } catch (Exception notGraded) {
        status = "not graded (" + notGraded + ")";
      }
      if (!status.equals("passed")) {
        json(ex, 403, Map.of("error", e.name() + " does not pass yet, so the solution stays hidden. Try a hint, or "
            + "give up to see it anyway."));
        return;
      }
    }
    List<Map<String, String>> files = new ArrayList<>();
    if (Files.isDirectory(e.referenceRoot())) {
      try (var walk = Files.walk(e.referenceRoot())) {
        for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          files.add(Map.of("path", ws.root().relativize(f.toAbsolutePath().normalize()).toString(),
              "text", Files.readString(f)));
        }
      }
    }
    if (files.isEmpty()) {
      json(ex, 404, Map.of("error", e.name() + " has no reference solution in this checkout"));
      return;
    }
    json(ex, 200, Map.of("files", files));
  }

  // ---- responses ---------------------------------------------------------------------------------------

  private static String query(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      if (kv.startsWith(name + "=")) {
        return URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void waitFor(Future<?> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the reset went as far as it could
    }
  }

  private void notFound(HttpExchange ex, String path) throws IOException {
    if (path.startsWith("/api/") || path.startsWith("/assets/") || path.startsWith("/webjars/")) {
      send(ex, 404, "text/plain; charset=utf-8", "Not found.\n".getBytes(StandardCharsets.UTF_8));
    } else {
      byte[] b = site.message("index.html", "Not found", "The book has no page at this address.")
          .getBytes(StandardCharsets.UTF_8);
      send(ex, 404, "text/html; charset=utf-8", b);
    }
  }

  private static void html(HttpExchange ex, String html) throws IOException {
    send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static void json(HttpExchange ex, int status, Object value) throws IOException {
    send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    watch.close();
    pages.close();
    check.close();
    executor.shutdownNow();
    PageSession.deleteQuietly(work);
  }
}
