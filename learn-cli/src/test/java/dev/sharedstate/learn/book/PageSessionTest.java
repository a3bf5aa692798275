package dev.sharedstate.learn.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.chapters.markdown.Chapter;
import dev.sharedstate.chapters.markdown.ChapterParser;
import dev.sharedstate.chapters.run.RunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page's JShell, without a browser: runs go through the chapters' runner in the page's own VM,
 * earlier blocks run first, output streams, a deadlock is stopped at the block's time limit, and
 * the timeline comes from what the VM recorded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PageSessionTest {

  @TempDir static Path work;
  static PageSessions pages;
  static Chapter chapter;

  static final String MD = """
      # Test

      ```java
      import java.util.concurrent.locks.ReentrantLock;
      var lock = new ReentrantLock();
      ```

      ```java
      {
        Thread holder = Thread.ofPlatform().name("holder").start(() -> {
          lock.lock();
          try { Thread.sleep(300); } catch (InterruptedException e) { } finally { lock.unlock(); }
        });
        while (!lock.isLocked()) {
          Thread.onSpinWait();
        }
        lock.lock();
        lock.unlock();
        holder.join();
      }
      System.out.println("got it");
      ```

      ```output
      got it
      ```

      ```java timeout=1500ms
      System.out.println("before");
      ```

      ```output
      before
      ```
      """;

  @BeforeAll
  static void start() {
    pages = new PageSessions(RunOptions.defaults(), work, new Timelines(), 2, Duration.ofMinutes(5));
    chapter = new ChapterParser().parse(Path.of("test.md"), MD);
  }

  @AfterAll
  static void stop() {
    pages.close();
  }

  static List<Map<String, Object>> run(PageSession s, int block, String code) throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    s.run(block, code, events::add).get(60, TimeUnit.SECONDS);
    return new ArrayList<>(events);
  }

  static Map<String, Object> end(List<Map<String, Object>> events, int block) {
    return events.stream().filter(e -> e.get("type").equals("end") && e.get("block").equals(block)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no end event for block " + block + ": " + events));
  }

  /** One page through its life (one JShell start less than a test per step: they are the slow part). */
  @Test
  void earlierBlocksRunFirstWaitsAreDrawnFromTheRecordingAndADeadlockIsStopped() throws Exception {
    PageSession s = pages.get(pages.open(chapter)).orElseThrow();
    var events = run(s, 1, null);
    assertEquals("passed", end(events, 0).get("status"), events.toString());
    assertEquals(Boolean.TRUE, events.getFirst().get("implicit"), "block 0 ran first, for block 1");
    assertEquals("passed", end(events, 1).get("status"), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.get("type").equals("out") && "got it\n".equals(e.get("text"))),
        events.toString());
    assertTrue(sentences(events).stream().anyMatch(t -> t.startsWith("main waited") && t.contains("held by holder")),
        events.toString());

    String deadlock = """
        {
          Object a = new Object(), b = new Object();
          var bothHoldOne = new java.util.concurrent.CountDownLatch(2); // a deadlock however the threads are scheduled
          Thread t = Thread.ofPlatform().name("other").start(() -> {
            synchronized (b) { bothHoldOne.countDown(); try { bothHoldOne.await(); } catch (InterruptedException e) { } synchronized (a) { } }
          });
          synchronized (a) { bothHoldOne.countDown(); bothHoldOne.await(); synchronized (b) { } }
        }
        """;
    events = run(s, 2, deadlock);
    var end = end(events, 2);
    assertEquals("failed", end.get("status"), events.toString());
    assertEquals(Boolean.TRUE, end.get("timedOut"), end.toString());
    assertTrue(((String) end.get("summary")).startsWith("timed out after 1500 ms"), end.toString());
    assertTrue(sentences(events).stream().anyMatch(t -> t.startsWith("main was still waiting") && t.contains("held by other")),
        events.toString());

    // the JShell was killed: the next run starts a fresh one and replays the blocks that passed
    var again = run(s, 2, "System.out.println(\"before\");");
    assertEquals("passed", end(again, 2).get("status"), again.toString());
    assertTrue(again.stream().anyMatch(e -> e.get("type").equals("system")
        && ((String) e.get("text")).contains("running again the 2 block(s) that passed")), again.toString());
  }

  @SuppressWarnings("unchecked")
  static List<String> sentences(List<Map<String, Object>> events) {
    return events.stream().filter(e -> e.get("type").equals("timeline")).findFirst()
        .map(e -> (List<String>) e.get("sentences"))
        .orElseThrow(() -> new AssertionError("no timeline: " + events));
  }
}
