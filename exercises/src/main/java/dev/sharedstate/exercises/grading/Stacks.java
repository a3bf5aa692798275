package dev.sharedstate.exercises.grading;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where stuck threads are, shown the way a learner needs it: each stack from where the thread waits
 * down to the first frame of the learner's code (what called the wait), identical stacks once.
 */
public final class Stacks {
  /** A frame of an exercise's code (the learner's, or a reference), not of the grading support. */
  static final Pattern LEARNER = Pattern.compile("dev\\.sharedstate\\.exercises\\.ex\\d\\d\\b");
  private static final int MAX_THREADS = 6;

  private Stacks() {}

  static boolean learnerFrame(String frame) {
    return LEARNER.matcher(frame).find() && !frame.contains("Test.") && !frame.contains("Test$");
  }

  /**
   * The stacks of the threads (virtual ones included, which {@link Thread#getAllStackTraces} omits) that
   * are in exercise or server code, each cut after the first frame of the exercise's code.
   */
  public static String stuck() {
    String dump;
    try {
      Path file = Files.createTempFile("threads", ".txt");
      Files.delete(file);
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
      dump = Files.readString(file);
      Files.deleteIfExists(file);
    } catch (Exception e) {
      return "(thread dump failed: " + e + ")";
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    Map<String, String> shownStack = new HashMap<>();
    for (String block : dump.split("\\R\\R")) {
      String[] lines = block.strip().split("\\R");
      if (lines.length < 2 || !lines[0].startsWith("#")) continue;
      if (lines[0].contains("\"Lincheck-")) continue; // the model checker's own threads, left from a finished check
      boolean exercise = false, server = false;
      for (String l : lines) {
        if (learnerFrame(l)) exercise = true;
        if (l.contains("dev.sharedstate.kv.")) server = true;
      }
      if (!exercise && !server) continue;
      String stack = cut(List.of(lines).subList(1, lines.length));
      if (!exercise && (stack.contains("ServerSocket") || stack.contains("SocketDispatcher") || stack.contains("NioSocketImpl"))) {
        continue; // a server thread waiting for a connection or a request: not stuck, just idle
      }
      // Grouped without the addresses of the objects waited on: threads waiting alike, each on its own lock, are one.
      groups.computeIfAbsent(stack.replaceAll("@[0-9a-f]+>", ">"), k -> new ArrayList<>()).add(name(lines[0]));
      shownStack.putIfAbsent(stack.replaceAll("@[0-9a-f]+>", ">"), stack);
    }
    if (groups.isEmpty()) return "(no thread was in exercise or server code)";
    // Threads idle in a queue's take or poll (an owner thread waiting for its next command, maybe one left by an
    // earlier test) come last: the cap below must not hide a thread that is stuck somewhere else.
    Map<String, List<String>> byStack = new LinkedHashMap<>();
    for (boolean idle : new boolean[] {false, true}) {
      for (var e : groups.entrySet()) {
        boolean waitsForWork = e.getKey().contains("BlockingQueue.take") || e.getKey().contains("BlockingQueue.poll");
        if (waitsForWork == idle) byStack.put(shownStack.get(e.getKey()), e.getValue());
      }
    }
    var out = new StringBuilder();
    int shown = 0;
    for (var e : byStack.entrySet()) {
      if (shown++ == MAX_THREADS) {
        out.append("  ... and ").append(byStack.size() - MAX_THREADS).append(" more stacks\n");
        break;
      }
      List<String> names = e.getValue();
      out.append("  thread ").append(names.get(0)).append(names.size() > 1 ? " (and " + (names.size() - 1) + " more like it)" : "")
          .append(":\n").append(e.getKey());
    }
    return out.toString().stripTrailing();
  }

  /** {@code t}'s stack, cut after the first frame of the exercise's code. */
  public static String of(Thread t) {
    var frames = new ArrayList<String>();
    for (StackTraceElement f : t.getStackTrace()) frames.add(f.toString());
    return cut(frames);
  }

  /** Frames from the top down to the first exercise frame (or the first server frame), then one more. */
  static String cut(List<String> frames) {
    var out = new StringBuilder();
    int stopAt = -1;
    for (int i = 0; i < frames.size(); i++) {
      if (learnerFrame(frames.get(i))) {
        stopAt = Math.min(frames.size() - 1, i + 1);
        break;
      }
    }
    if (stopAt < 0) {
      // No exercise code: a server thread. Down to its connection's loop, which says what it was serving.
      for (int i = 0; i < frames.size(); i++) {
        if (frames.get(i).contains("dev.sharedstate.kv.Connection")) {
          stopAt = i;
          break;
        }
      }
    }
    if (stopAt < 0) {
      for (int i = 0; i < frames.size(); i++) {
        if (frames.get(i).contains("dev.sharedstate.kv.")) {
          stopAt = Math.min(frames.size() - 1, i + 2);
          break;
        }
      }
    }
    if (stopAt < 0) stopAt = Math.min(frames.size() - 1, 7);
    int from = 0;
    // Skip the JDK's innermost parking machinery beyond three frames: the learner's call is what matters.
    if (stopAt > 12) from = stopAt - 12;
    if (from > 0) out.append("      ... ").append(from).append(" frames inside the JDK\n");
    for (int i = from; i <= stopAt; i++) {
      String f = frames.get(i).strip();
      out.append("      ").append(f.startsWith("at ") ? f : "at " + f).append('\n');
    }
    return out.toString();
  }

  private static String name(String header) {
    // "#123 "kv-4242-conn-1" virtual" -> "kv-4242-conn-1"
    int a = header.indexOf('"'), b = header.lastIndexOf('"');
    return a >= 0 && b > a ? "'" + header.substring(a + 1, b) + "'" : header;
  }

  /** The frames of {@code t} (and its causes) in the exercise's code, at most {@code max}. */
  public static List<String> learnerFrames(Throwable t, int max) {
    var out = new ArrayList<String>();
    for (Throwable c = t; c != null && out.size() < max; c = c.getCause()) {
      for (StackTraceElement f : c.getStackTrace()) {
        if (learnerFrame(f.toString() + " ")) {
          out.add("at " + f);
          if (out.size() == max) break;
        }
      }
      if (!out.isEmpty()) break;
    }
    return out;
  }
}
