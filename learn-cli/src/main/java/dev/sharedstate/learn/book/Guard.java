package dev.sharedstate.learn.book;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What stands between the book's server, which runs code as the learner, and everyone else on the
 * machine or the web (the checks of jupyter-server's {@code check_host}, {@code check_origin} and
 * token login, see BOOK-NOTES.md):
 *
 * <ol>
 *   <li>{@code Host} must be this server's own ({@code 127.0.0.1:PORT} or {@code localhost:PORT}):
 *       a page on another site that rebinds its DNS name to 127.0.0.1 sends its own name and is
 *       refused, before anything else is looked at;
 *   <li>an {@code Origin}, when sent, must be this server's; a request that changes anything (any
 *       method but GET/HEAD) must send one, and JSON, so no cross-site form can post;
 *   <li>the random token printed in the URL, given once as {@code ?token=}, is swapped for an
 *       HttpOnly, SameSite=Strict cookie and a redirect to the same URL without it; every request
 *       then needs that cookie (or {@code Authorization: token ...}, for scripts).
 * </ol>
 *
 * Every response carries a Content-Security-Policy (scripts only from this server, plus the import
 * map by hash; no frames, no plugins), {@code nosniff} and {@code no-referrer}.
 */
final class Guard extends Filter {

  private final String token;
  private volatile int port;
  private final String scriptHash;

  /**
   * @param scriptHash the CSP source for the one inline script the pages have (the import map),
   *     e.g. {@code 'sha256-...'}
   */
  Guard(String token, String scriptHash) {
    this.token = token;
    this.scriptHash = scriptHash;
  }

  /** 24 random bytes, hex: what jupyter-server uses for its token. */
  static String newToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  void port(int port) {
    this.port = port;
  }

  String token() {
    return token;
  }

  /** Cookies are not per port, so the name is: two books on two ports keep their own. */
  String cookieName() {
    return "learn_book_" + port;
  }

  /** The Host values this server answers to. */
  Set<String> ownHosts() {
    return Set.of("127.0.0.1:" + port, "localhost:" + port);
  }

  @Override
  public String description() {
    return "Host, Origin and token checks";
  }

  @Override
  public void doFilter(HttpExchange ex, Chain chain) throws IOException {
    securityHeaders(ex);
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null || !ownHosts().contains(host.toLowerCase(java.util.Locale.ROOT))) {
      refuse(ex, 403, "This server answers only to http://127.0.0.1:" + port + "/ (the Host of this request was "
          + (host == null ? "missing" : "'" + host + "'") + ").");
      return;
    }
    String method = ex.getRequestMethod();
    boolean safe = method.equals("GET") || method.equals("HEAD");
    List<String> origins = ex.getRequestHeaders().getOrDefault("Origin", List.of());
    if (!origins.isEmpty()) {
      String origin = origins.getFirst();
      if (origins.size() > 1 || !origin.equalsIgnoreCase("http://" + host)) {
        refuse(ex, 403, "Cross-origin request refused (Origin '" + origin + "').");
        return;
      }
    } else if (!safe) {
      refuse(ex, 403, "A " + method + " must come from the book's own pages (no Origin header was sent).");
      return;
    }
    if (!safe) {
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        refuse(ex, 415, "The book's API takes application/json.");
        return;
      }
    }
    String query = ex.getRequestURI().getRawQuery();
    String given = queryToken(query);
    if (given != null) {
      if (!matches(given)) {
        refuse(ex, 403, "Wrong token. Open the link that ./learn book printed, or start it again.");
        return;
      }
      if (safe) {
        // Swap the token for a cookie and drop it from the address bar (and from history).
        String clean = ex.getRequestURI().getRawPath() + withoutToken(query);
        ex.getResponseHeaders().add("Set-Cookie",
            cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        ex.getResponseHeaders().set("Location", clean);
        ex.sendResponseHeaders(303, -1);
        ex.close();
        return;
      }
    } else if (!hasCookie(ex) && !hasAuthorization(ex)) {
      refuse(ex, 403, "This book runs code as you, so it needs the token from the link that ./learn book printed "
          + "(http://127.0.0.1:" + port + "/?token=...). Open that link once; this browser then keeps a cookie.");
      return;
    }
    chain.doFilter(ex);
  }

  private void securityHeaders(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self' " + scriptHash + "; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cache-Control", "no-store");
  }

  private boolean matches(String given) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private boolean hasCookie(HttpExchange ex) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).equals(cookieName()) && matches(p.substring(eq + 1))) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean hasAuthorization(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("token ") && matches(auth.substring("token ".length()).strip());
  }

  private static String queryToken(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String kv : rawQuery.split("&")) {
      if (kv.startsWith("token=")) {
        return URLDecoder.decode(kv.substring("token=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String withoutToken(String rawQuery) {
    StringBuilder sb = new StringBuilder();
    for (String kv : rawQuery.split("&")) {
      if (!kv.startsWith("token=") && !kv.isEmpty()) {
        sb.append(sb.isEmpty() ? "?" : "&").append(kv);
      }
    }
    return sb.toString();
  }

  /** A refusal: a short plain-text reason (never an echo as HTML). */
  static void refuse(HttpExchange ex, int status, String why) throws IOException {
    byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    }
    ex.close();
  }
}
