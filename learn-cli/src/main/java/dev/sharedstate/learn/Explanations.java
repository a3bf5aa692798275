package dev.sharedstate.learn;

import java.io.IOException;
import java.util.Map;

/**
 * Which chapter section explains each lockcheck rule. Adding a rule = one line here; the section is found
 * by its heading words, so renaming a heading in the chapter only loses the section name, never the link.
 */
final class Explanations {
  private Explanations() {}

  /** rule id → (chapter number, a word the explaining heading contains). */
  private static final Map<String, Map.Entry<Integer, String>> RULES = Map.of(
      "lock-held-across-blocking-call", Map.entry(7, "block"),
      "blocking-in-map-compute", Map.entry(6, "compute"),
      "virtual-thread-pinning", Map.entry(5, "virtual"));

  /** The chapter section that explains a rule: its chapter number and heading text, if the chapter has it. */
  static java.util.Optional<dev.sharedstate.learn.book.BookServer.RuleSection> section(Workspace ws, String ruleId) {
    var where = RULES.get(ruleId);
    if (where == null) {
      return java.util.Optional.empty();
    }
    var chapter = ws.chapters().chapters().stream().filter(c -> c.number() == where.getKey()).findFirst();
    if (chapter.isEmpty()) {
      return java.util.Optional.empty();
    }
    try {
      return ws.chapters().markdown(chapter.get()).lines()
          .filter(l -> l.matches("#{2,3}\\s+.*") && l.toLowerCase().contains(where.getValue()))
          .map(l -> new dev.sharedstate.learn.book.BookServer.RuleSection(where.getKey(), l.replaceFirst("^#+\\s+", "")))
          .findFirst();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  static String forRule(Workspace ws, String ruleId) {
    var where = RULES.get(ruleId);
    var explain = "./lockcheck --explain " + ruleId;
    if (where == null) {
      return explain;
    }
    var chapter = ws.chapters().chapters().stream().filter(c -> c.number() == where.getKey()).findFirst();
    if (chapter.isEmpty()) {
      return explain;
    }
    var c = chapter.get();
    String section = null;
    try {
      section = ws.chapters().markdown(c).lines()
          .filter(l -> l.matches("#{2,3}\\s+.*") && l.toLowerCase().contains(where.getValue()))
          .map(l -> l.replaceFirst("^#+\\s+", "")).findFirst().orElse(null);
    } catch (IOException ignored) {
      // an unreadable chapter still gets its number
    }
    return "chapter " + c.number() + (section == null ? "" : ", section \"" + section + "\"") + ":  ./learn read "
        + c.number() + "   (rule: " + explain + ")";
  }
}
