package dev.sharedstate.lockcheck.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a seed into a mutant, deterministically from a {@link Random}: token deletions, duplications
 * and swaps, splices from another seed, lock regions and blocking calls dropped anywhere, stray
 * braces and parentheses, unicode escapes, odd characters, truncation and deep nesting.
 */
final class Mutator {

  /** Java-ish tokens: comments, text blocks, strings, chars, words, numbers, whitespace, one symbol. */
  private static final Pattern TOKEN = Pattern.compile(
      "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'"
          + "|[\\p{L}_$][\\p{L}\\p{N}_$]*|\\d[\\w.]*|\\s+|.",
      Pattern.DOTALL);

  private static final String[] SNIPPETS = {
    "synchronized (this) {", "synchronized (lock) {", "synchronized (x) {", "synchronized (Foo.class) {",
    "synchronized (a) { synchronized (b) {", "}", "} }", "{", "(", ")", ";", "->", "::", "<", ">", "@", "...",
    "lock.lock();", "lock.unlock();", "lock.lock(); try {", "} finally { lock.unlock(); }",
    "if (lock.tryLock()) {", "rw.readLock().lock();", "rw.writeLock().unlock();", "long s = sl.writeLock();",
    "sl.unlockWrite(s);", "try (var g = locker.open()) {", "Thread.sleep(10);", "f.join();", "fut.get();",
    "q.take();", "q.put(v);", "latch.await();", "cond.await();", "lock.wait();", "this.wait(5);", "t.join();",
    "TimeUnit.SECONDS.sleep(1);", "CompletableFuture.runAsync(() -> {}).join();", "list.forEach(f -> f.join());",
    "executor.submit(() -> q.take());", "map.computeIfAbsent(k, kk -> q.take());", "list.forEach(this::block);",
    "synchronized void m() {", "static synchronized void s() throws Exception {", "class Inner {",
    "new Object() { void r() {", "record R(int a) {", "enum E { A, B; ", "interface I { default void d() {",
    "sealed interface S permits A {}", "switch (x) { case 1 -> {", "default -> {}", "yield 1;", "var v = ",
    "return;", "throw new RuntimeException();", "static {", "<T extends Comparable<? super T>>",
    "@SuppressWarnings(\"lockcheck\")", "@SuppressWarnings(\"lock-held-across-blocking-call\")", "\"\"\"\n  x\n  \"\"\"",
    "this.", "super.", "(Runnable) () -> {", "for (;;) {", "while (true) {", "do {", "} while (x);", "label: ",
    "break label;", "assert x : y;", "instanceof String s &&", "case null, default ->", "import java.util.*;",
    "package p;", "non-sealed", "module m {", "0x1p3", "1_000L", "'\\u0000'", "/* unclosed comment",
    "\"unclosed string", "// comment\n",
  };

  /** Balanced statements, inserted after a {@code ;} or {@code {} so that the mutant still parses. */
  private static final String[] STATEMENTS = {
    "synchronized (this) { Thread.sleep(1); }", "synchronized (lock) { q.take(); }", "lock.lock();",
    "lock.unlock();", "lock.lock(); try { f.join(); } finally { lock.unlock(); }", "f.get();", "t.join();",
    "if (lock.tryLock()) { try { latch.await(); } finally { lock.unlock(); } }", "q.put(x);", "cond.await();",
    "synchronized (a) { synchronized (b) { b.wait(); } }", "list.forEach(x -> x.join());", "this.wait();",
    "executor.submit(() -> q.take());", "map.compute(k, (kk, v) -> q.take());", "Runnable r = () -> f.join();",
    "new Thread(() -> { synchronized (this) { sem.acquire(); } }).start();", "return;", "lock = other;",
    "try (var g = locker.open()) { Thread.sleep(5); }", "rw.readLock().lock();", "rw.readLock().unlock();",
    "long st = sl.readLock(); try { q.take(); } finally { sl.unlockRead(st); }", "helper();",
    "class Local { synchronized void m() throws Exception { Thread.sleep(1); } }", "var v = q.poll();",
    "switch (x) { case 1 -> q.take(); default -> { } }", "for (var e : list) { e.join(); }", "break;",
    "Object o = new Object() { void m() throws Exception { synchronized (this) { f.get(); } } };",
    "try (AutoLock l = _lock.lock()) { q.take(); }", "guard.enter(); channel.call(\"x\"); guard.exit();",
    "guard.enter(); try { t.join(); } finally { guard.exit(); }", "Locks.withLock(lock, () -> f.join());",
    "chm.computeIfAbsent(k, kk -> { Thread.sleep(1); return kk; });", "chm.merge(k, v, (a, b) -> f.join());",
    "helperThatBlocks();", "this.close();", "shutdown();",
  };

  private static final String[] ODD = {
    "\u0000", "\r", "\r\n", "\u2028", "\uFEFF", "\uD800", "\uDC00", "\u00A0", "\t", "\f", "\u001A", "é", "λ", "😀",
  };

  private Mutator() {}

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /**
   * One mutant of a seed (as {@link #tokens}); {@code other} is a second seed's tokens, for splices.
   * Same arguments and random sequence, same mutant.
   */
  static String mutate(List<String> seed, List<String> other, Random r) {
    List<String> t = new ArrayList<>(seed);
    int rounds = 1 + (int) Math.min(9, -Math.log(1 - r.nextDouble()) * 2.0);
    // two in five mutants stay parseable (whole statements, renames), so the analysis gets deep inputs
    // and not only the parser's error paths
    boolean gentle = r.nextInt(5) < 2;
    for (int i = 0; i < rounds; i++) {
      if (gentle) {
        mutateGently(t, r);
      } else {
        mutateOnce(t, other, r);
      }
    }
    return String.join("", t);
  }

  private static void mutateGently(List<String> t, Random r) {
    if (t.isEmpty() || r.nextInt(4) == 0) {
      rename(t, r.nextInt(Math.max(1, t.size())), r);
      return;
    }
    for (int tries = 0; tries < 40; tries++) {
      int b = r.nextInt(t.size());
      if (t.get(b).equals(";") || t.get(b).equals("{")) {
        t.add(b + 1, " " + pick(STATEMENTS, r) + " ");
        return;
      }
    }
  }

  /** Replaces some occurrences of a word with another word of the file (locks become other locks). */
  private static void rename(List<String> t, int at, Random r) {
    if (t.isEmpty()) {
      return;
    }
    String w = t.get(at);
    if (isWord(w)) {
      String v = t.get(r.nextInt(t.size()));
      if (isWord(v)) {
        for (int i = 0; i < t.size(); i++) {
          if (t.get(i).equals(w) && r.nextBoolean()) {
            t.set(i, v);
          }
        }
      }
    }
  }

  private static void mutateOnce(List<String> t, List<String> o, Random r) {
    if (t.isEmpty()) {
      t.add(pick(SNIPPETS, r));
      return;
    }
    int at = r.nextInt(t.size());
    if (r.nextInt(3) == 0) { // keep it parseable: a whole statement where one may stand
      for (int tries = 0; tries < 20; tries++) {
        int b = r.nextInt(t.size());
        if (t.get(b).equals(";") || t.get(b).equals("{")) {
          t.add(b + 1, " " + pick(STATEMENTS, r) + " ");
          return;
        }
      }
    }
    switch (r.nextInt(14)) {
      case 0 -> { // delete a run of tokens
        int n = 1 + r.nextInt(Math.min(8, t.size() - at));
        t.subList(at, at + n).clear();
      }
      case 1 -> { // duplicate a run
        int n = 1 + r.nextInt(Math.min(12, t.size() - at));
        t.addAll(r.nextInt(t.size() + 1), new ArrayList<>(t.subList(at, at + n)));
      }
      case 2 -> { // swap two tokens
        int b = r.nextInt(t.size());
        String x = t.get(at);
        t.set(at, t.get(b));
        t.set(b, x);
      }
      case 3, 4 -> t.add(at, " " + pick(SNIPPETS, r) + " ");
      case 5 -> t.add(at, pick(new String[] {"{", "}", "(", ")", ";", "[", "]", "<", ">", ",", "."}, r));
      case 6 -> t.set(at, unicodeEscape(t.get(at), r));
      case 7 -> t.add(at, pick(ODD, r));
      case 8 -> t.subList(at, t.size()).clear(); // truncate
      case 9 -> nest(t, at, r);
      case 10 -> { // splice from another seed
        if (!o.isEmpty()) {
          int from = r.nextInt(o.size());
          int n = 1 + r.nextInt(Math.min(60, o.size() - from));
          t.addAll(at, o.subList(from, from + n));
        }
      }
      case 11 -> rename(t, at, r);
      case 12 -> { // a random character in a token
        String w = t.get(at);
        int p = r.nextInt(w.length() + 1);
        t.set(at, w.substring(0, p) + (char) (32 + r.nextInt(95)) + w.substring(p));
      }
      default -> { // move a run elsewhere
        int n = 1 + r.nextInt(Math.min(20, t.size() - at));
        List<String> run = new ArrayList<>(t.subList(at, at + n));
        t.subList(at, at + n).clear();
        t.addAll(r.nextInt(t.size() + 1), run);
      }
    }
  }

  private static final int ANONYMOUS = 5;
  static final int MAX_ANONYMOUS_NESTING = 5;

  /** Wraps the tokens from {@code at} on (to a random end) in many levels of one construct. */
  private static void nest(List<String> t, int at, Random r) {
    String[][] kinds = {
      {"synchronized (o) {", "}"}, {"{", "}"}, {"(", ")"}, {"if (c) {", "}"}, {"() -> {", "}"},
      {"new Object() { void m() {", "} }"}, {"lock.lock(); try {", "} finally { lock.unlock(); }"}, {"a[", "]"},
      {"(x + ", ")"}, {"!", ""}, {"-", ""}, {"f(", ")"},
    };
    int kind = r.nextInt(kinds.length);
    String[] k = kinds[kind];
    int depth = r.nextInt(10) == 0 ? 500 + r.nextInt(5000) : 1 + r.nextInt(60);
    if (kind == ANONYMOUS) {
      // JavaParser's look-ahead is exponential in nested anonymous class bodies, the more so in a
      // malformed file (8 levels: 4 s, 9 levels: 14 s); deeper nesting would only measure that known
      // parser limit (checker/docs/fuzzing.md), so one mutation nests a few levels at most
      depth = 1 + r.nextInt(MAX_ANONYMOUS_NESTING);
    }
    int end = at + r.nextInt(t.size() - at + 1);
    t.add(end, k[1].repeat(depth));
    t.add(at, k[0].repeat(depth));
  }

  private static String unicodeEscape(String tok, Random r) {
    if (tok.isEmpty()) {
      return "\\u007b";
    }
    int p = r.nextInt(tok.length());
    String esc = String.format(r.nextInt(8) == 0 ? "\\uu%04x" : "\\u%04x", (int) tok.charAt(p));
    if (r.nextInt(10) == 0) {
      esc = pick(new String[] {"\\u000a", "\\u000d", "\\u007b", "\\u007d", "\\u0022", "\\u005c", "\\u002a/", "\\u"}, r);
    }
    return tok.substring(0, p) + esc + tok.substring(p + 1);
  }

  private static boolean isWord(String s) {
    return !s.isEmpty() && Character.isJavaIdentifierStart(s.charAt(0));
  }

  private static String pick(String[] a, Random r) {
    return a[r.nextInt(a.length)];
  }
}
