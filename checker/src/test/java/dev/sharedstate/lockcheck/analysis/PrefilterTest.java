package dev.sharedstate.lockcheck.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void filesThatCannotAreSkipped() {
    assertFalse(Prefilter.mayHaveLockRegion("class A { void block() { clock.tick(); Lock l; blocking(); } }"));
    assertFalse(Prefilter.mayHaveLockRegion("class A { String s = \"\\u0041\"; }"));
    assertFalse(Prefilter.mayHaveLockRegion("class unsynchronized { void lockdown() {} }"));
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
