package dev.sharedstate.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.learn.book.BookServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each refusal of the book's server, proven with raw HTTP (so Host, Origin and Cookie say exactly what
 * an attacker's request would): the address it binds, the token, the Host check against DNS
 * rebinding, the Origin and content-type checks against cross-site requests, and paths that would
 * leave the repository.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BookSecurityTest {

  @TempDir static Path tmp;
  static BookServer server;
  static Fixture fx;
  static int port;
  static String cookie;

  record Response(int status, Map<String, String> headers, String body) {}

  @BeforeAll
  static void start() throws Exception {
    fx = new Fixture(tmp);
    Files.writeString(fx.root.resolve("secret-outside.txt"), "not in the book");
    Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(tmp.resolve("outside/secret.md"), "# outside the repository");
    Files.createSymbolicLink(fx.root.resolve("chapters/escape"), tmp.resolve("outside"));
    Files.createDirectories(fx.root.resolve(".learn"));
    Files.writeString(fx.root.resolve(".learn/progress.properties"), "read.1=true\n");
    var ws = Workspace.at(fx.root);
    server = BookServer.start(ws, BookServer.Config.defaults(), rule -> Explanations.section(ws, rule));
    port = server.port();
    cookie = "learn_book_" + port + "=" + server.token();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void itListensOn127001OnlyAndNowhereElse() throws Exception {
    assertEquals(InetAddress.getByName("127.0.0.1"), server.address().getAddress());
    for (var nic : NetworkInterface.networkInterfaces().toList()) {
      for (var addr : nic.inetAddresses().toList()) {
        if (addr instanceof Inet4Address && !addr.isLoopbackAddress()) {
          try (Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(addr, port), 2000),
                "reachable on " + addr);
          }
        }
      }
    }
  }

  @Test
  void withoutTheTokenEverythingIsRefused() throws Exception {
    for (String path : List.of("/", "/chapters/01-the-problem.html", "/assets/book.js", "/api/events")) {
      var r = get(path, Map.of());
      assertEquals(403, r.status(), path);
      assertTrue(r.body().contains("needs the token"), r.body());
    }
    assertEquals(403, get("/?token=" + "0".repeat(48), Map.of()).status(), "a wrong token");
    assertEquals(403, get("/", Map.of("Cookie", "learn_book_" + port + "=" + "f".repeat(48))).status(), "a wrong cookie");
    assertEquals(403, get("/", Map.of("Cookie", "learn_book_1=" + server.token())).status(), "another port's cookie");
    assertEquals(403, get("/", Map.of("Authorization", "token nope")).status());
    var post = request("POST", "/api/check", Map.of("Origin", "http://127.0.0.1:" + port, "Content-Type",
        "application/json"), "{}");
    assertEquals(403, post.status(), "a same-origin POST without the cookie");
  }

  @Test
  void theTokenIsSwappedForAnHttpOnlySameSiteStrictCookieAndDroppedFromTheAddress() throws Exception {
    var r = get("/chapters/01-the-problem.html?token=" + server.token(), Map.of());
    assertEquals(303, r.status());
    assertEquals("/chapters/01-the-problem.html", r.headers().get("location"));
    String set = r.headers().get("set-cookie");
    assertEquals(cookie + "; Path=/; HttpOnly; SameSite=Strict", set);
    assertEquals(200, get("/chapters/01-the-problem.html", Map.of("Cookie", cookie)).status());
    assertEquals(200, get("/", Map.of("Authorization", "token " + server.token())).status());
  }

  @Test
  void aForeignHostIsRefusedEvenWithTheCookie() throws Exception {
    // DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its own name and the cookie is not
    // even sent (another site); the Host check refuses it before anything else.
    for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1:" + (port == 1 ? 2 : port - 1),
        "127.0.0.2:" + port, "[::1]:" + port, "localhost.evil.example:" + port)) {
      var r = get("/", Map.of("Host", host, "Cookie", cookie));
      assertEquals(403, r.status(), host);
      assertTrue(r.body().contains("answers only to"), r.body());
    }
    assertEquals(200, get("/", Map.of("Host", "localhost:" + port, "Cookie", cookie)).status());
    var noHost = rawHttp("GET / HTTP/1.0\r\nCookie: " + cookie + "\r\n\r\n");
    assertEquals(403, noHost.status(), "HTTP/1.0 without a Host");
  }

  @Test
  void crossSiteRequestsAreRefused() throws Exception {
    String json = "application/json";
    String body = "{\"exercise\":\"ex01-share-the-map\"}";
    var evil = request("POST", "/api/hint", Map.of("Cookie", cookie, "Origin", "http://evil.example",
        "Content-Type", json), body);
    assertEquals(403, evil.status(), "a POST from another site");
    var nullOrigin = request("POST", "/api/hint", Map.of("Cookie", cookie, "Origin", "null", "Content-Type", json), body);
    assertEquals(403, nullOrigin.status(), "a POST from a sandboxed frame or a file");
    var otherPort = request("POST", "/api/hint", Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + (port - 1),
        "Content-Type", json), body);
    assertEquals(403, otherPort.status(), "a POST from another local server");
    var noOrigin = request("POST", "/api/hint", Map.of("Cookie", cookie, "Content-Type", json), body);
    assertEquals(403, noOrigin.status(), "a POST without Origin");
    var form = request("POST", "/api/hint", Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + port,
        "Content-Type", "text/plain"), body);
    assertEquals(415, form.status(), "a POST a form could send");
    var getFromEvil = get("/api/events", Map.of("Cookie", cookie, "Origin", "http://evil.example"));
    assertEquals(403, getFromEvil.status(), "a cross-origin GET of the API");
    assertFalse(Files.readString(fx.root.resolve(".learn/progress.properties")).contains("hints."));
    var ok = request("POST", "/api/hint", Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + port,
        "Content-Type", json), body);
    assertEquals(200, ok.status(), ok.body());
  }

  @Test
  void nothingIsServedFromOutsideTheRepository() throws Exception {
    Map<String, String> auth = Map.of("Cookie", cookie);
    for (String path : List.of(
        "/docs/../../../../etc/passwd.html",
        "/docs/%2e%2e/%2e%2e/%2e%2e/etc/passwd.html",
        "/files/..%2f..%2f..%2fetc%2fpasswd.html",
        "/files/%2e%2e/outside/secret.md.html",
        "/docs/chapters/escape/secret.html",
        "/files/chapters/escape/secret.md.html",
        "/files/.git/config.html",
        "/files/.learn/progress.properties.html",
        "/docs/" + tmp.resolve("outside/secret").toString().substring(1) + ".html",
        "/files//etc/passwd.html",
        "/assets/../pom.xml",
        "/assets/..%2fbook.css",
        "/webjars/codemirror/6.0.2/../../../../META-INF/MANIFEST.MF",
        "/webjars/codemirror/6.0.2/package.json",
        "/webjars/junit-jupiter-api/5.0.0/x.js",
        "/chapters/..%2f..%2fpom.html")) {
      var r = get(path, auth);
      assertTrue(r.status() == 404 || r.status() == 400, path + " gave " + r.status() + ": " + r.body());
      assertFalse(r.body().contains("root:") || r.body().contains("outside the repository") || r.body().contains("read.1"),
          path + " leaked: " + r.body());
    }
    assertEquals(200, get("/files/secret-outside.txt.html", auth).status(), "a file inside the repository is fine");
    assertEquals(200, get("/webjars/codemirror__state/6.7.1/dist/index.js", auth).status());
  }

  @Test
  void everyResponseCarriesAStrictContentSecurityPolicy() throws Exception {
    var r = get("/", Map.of("Cookie", cookie));
    String csp = r.headers().get("content-security-policy");
    assertTrue(csp.startsWith("default-src 'self'; script-src 'self' 'sha256-"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), csp);
    assertEquals("nosniff", r.headers().get("x-content-type-options"));
    assertEquals("no-referrer", r.headers().get("referrer-policy"));
    assertEquals(csp, get("/nope", Map.of()).headers().get("content-security-policy"), "refusals too");
  }

  // ---- raw HTTP ----------------------------------------------------------------------------------------

  static Response get(String path, Map<String, String> headers) throws IOException {
    return request("GET", path, headers, null);
  }

  static Response request(String method, String path, Map<String, String> headers, String body) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + port);
    h.putAll(headers);
    StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    h.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      sb.append("Content-Length: ").append(b.length).append("\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    return rawHttp(sb + (body == null ? "" : body));
  }

  static Response rawHttp(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String rest = end < 0 ? "" : text.substring(end + 4);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
      }
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        rest = dechunk(rest);
      }
      return new Response(status, headers, rest);
    }
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int nl = s.indexOf("\r\n", i);
      if (nl < 0) {
        break;
      }
      int n = Integer.parseInt(s.substring(i, nl).strip(), 16);
      if (n == 0) {
        break;
      }
      out.append(s, nl + 2, Math.min(s.length(), nl + 2 + n));
      i = nl + 2 + n + 2;
    }
    return out.toString();
  }
}
