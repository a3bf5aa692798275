package dev.sharedstate.learn.book;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to the open pages: exercise status for everyone, notices for one page. Status
 * flows one way, {@code EventSource} reconnects by itself and sends the cookie, so SSE is enough (no
 * WebSocket). A page's stream also tells the server the page is still open: when it has been gone for
 * a while, its JShell is closed ({@link PageSessions}).
 */
final class Events {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PING_SECONDS = 15;

  private record Subscriber(String page, BlockingQueue<String> queue) {}

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final PageSessions pages;

  Events(PageSessions pages) {
    this.pages = pages;
  }

  /** Sends an event to every open page. */
  void broadcast(String event, Object data) {
    String frame = frame(event, data);
    for (Subscriber s : subscribers) {
      s.queue().offer(frame);
    }
  }

  /** Sends an event to the pages with this page id. */
  void toPage(String page, String event, Object data) {
    String frame = frame(event, data);
    for (Subscriber s : subscribers) {
      if (page.equals(s.page())) {
        s.queue().offer(frame);
      }
    }
  }

  /** Serves one {@code text/event-stream} until the page goes away. */
  void serve(HttpExchange ex, String page, Map<String, Object> hello) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("X-Accel-Buffering", "no");
    ex.sendResponseHeaders(200, 0);
    Subscriber me = new Subscriber(page == null ? "" : page, new LinkedBlockingQueue<>(1000));
    subscribers.add(me);
    if (page != null) {
      pages.connected(page, +1);
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(("retry: 2000\n" + frame("hello", hello)).getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String frame = me.queue().poll(PING_SECONDS, TimeUnit.SECONDS);
        out.write((frame == null ? ": ping\n\n" : frame).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException | InterruptedException gone) {
      // the page closed (or the server is stopping)
    } finally {
      subscribers.remove(me);
      if (page != null) {
        pages.connected(page, -1);
      }
      ex.close();
    }
  }

  static String frame(String event, Object data) {
    try {
      return "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
