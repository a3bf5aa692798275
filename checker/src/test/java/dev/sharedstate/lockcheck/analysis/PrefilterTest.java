package dev.sharedstate.lockcheck.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Lockcheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefilterTest {

  @Test
  void filesThatCanHoldALockAreKept() {
    assertTrue(Prefilter.mayHaveLockRegion("class A { synchronized void m() {} }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { l.lock(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { if (l.tryLock()) {} } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { rw.readLock().lock(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { long s = sl.writeLock(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { try {} finally { l.unlock(); } } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { l.lockInterruptibly(); } }"));
  }

  @Test
  void mapComputeCallsKeepAFile() {
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { cache.computeIfAbsent(k, x -> f.join()); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { cache.merge(k, v, (a, b) -> a); } }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { void recompute() { computeAll(); merged(); } }"));
  }

  /**
   * Files the pre-filter skips are still read when a reported file calls into them (the helpers
   * fixture's Worker.java has no lock token): both modes report the same findings.
   */
  @Test
  void sameFindingsWithAndWithoutThePrefilter() {
    for (String fixture : List.of("project/helpers", "interprocedural", "implicit", "")) {
      Path p = Path.of("src/test/resources/fixtures", fixture);
      CheckResult fast = Lockcheck.withDefaults().check(List.of(p));
      CheckResult full = Lockcheck.withDefaults().withPrefilter(false).check(List.of(p));
      assertEquals(keys(full), keys(fast), fixture);
      assertTrue(!fast.findings().isEmpty(), fixture);
    }
  }

  private static List<String> keys(CheckResult r) {
    return r.findings().stream()
        .map(f -> f.file() + ":" + f.line() + ":" + f.column() + " " + f.ruleId() + " " + f.message() + " " + f.via())
        .toList();
  }

  @Test
  void filesThatCannotAreSkipped() {
    assertFalse(Prefilter.mayHaveLockRegion("class A { void block() { clock.tick(); Lock l; blocking(); } }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { String s = \"\\u0041\"; }"));
    assertFalse(Prefilter.mayHaveLockRegion("class unsynchronized { void lockdown() {} }"));
  }

  @Test
  void tokensInCommentsAndLiteralsDoNotCount() {
    assertFalse(Prefilter.mayHaveLockRegion("/** Not synchronized; callers lock. */ class A { // unlock()\n }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { String s = \"synchronized lock()\"; char c = '\\''; }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { String s = \"\"\"\n  lock() \\\"\"\" synchronized\n  \"\"\"; }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { String s = \"a\\\"synchronized\"; double d = 1e-5 + 0x1P+3; }"));
    // ...but code right after them does
    assertTrue(Prefilter.mayHaveLockRegion("class A { String s = \"\\\"\"; synchronized void m() {} }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { char q = '\"'; void m() { l.lock(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { /* a */ void m() { l.unlock(); } /* b */ }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { String s = \"\"\"\n x \"\"\"; void m() { l.tryLock(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { l.\\u006cock(); } }"), "an escape spells lock");
  }

  @Test
  void whatTheScannerCannotFollowIsKept() {
    // javac would reject these; the scanner cannot tell code from comment after them, so it keeps them
    assertTrue(Prefilter.mayHaveLockRegion("class A { /* never closed\n synchronized void m() {} }"), "unterminated comment");
    assertTrue(Prefilter.mayHaveLockRegion("class A { String s = \"never closed\n; void m() { l.lock(); } }"),
        "string past its line");
    // ...but a file with no lock token anywhere, comments included, is skipped before any scanning
    assertFalse(Prefilter.mayHaveLockRegion("class A { /* never closed "));
  }

  @Test
  void projectDeclaredLockMethodsCount() {
    assertFalse(Prefilter.mayHaveLockRegion("class A { void m() { g.acquireGuard(); } }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { g.acquireGuard(); } }", java.util.Set.of("acquireGuard")));
  }

  @Test
  void unicodeEscapesAreTranslatedFirst() {
    // \u0073ynchronized is the keyword synchronized to javac
    assertTrue(Prefilter.mayHaveLockRegion("class A { \\u0073ynchronized void m() {} }"));
    assertTrue(Prefilter.mayHaveLockRegion("class A { void m() { l.\\uuu006cock(); } }"));
    assertEquals("a\\\\u0041", Prefilter.translateUnicodeEscapes("a\\\\u0041"), "an escaped backslash is no escape");
    assertEquals("aA", Prefilter.translateUnicodeEscapes("a\\u0041"));
  }

  @Test
  void templatesAreRecognisedOutsideLiteralsAndComments() {
    assertEquals(8, Prefilter.templateMarker("package ${package};"));
    assertTrue(Prefilter.looksLikeTemplate("#if ($x)\nclass A {}\n#end"));
    assertFalse(Prefilter.looksLikeTemplate("class A { String s = \"${x} #1\"; // ${y}\n /* # */ char c = '#'; }"));
    assertFalse(Prefilter.looksLikeTemplate("class A { String s = \"\"\"\n  ${x} \\\"\"\" #\n  \"\"\"; }"));
  }
}
