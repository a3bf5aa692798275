package dev.sharedstate.chapters.markdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed info string of a fence: a language word, then markers {@code name} or {@code
 * name=value} (values with spaces in double quotes). Parsing never throws; mistakes come back as
 * {@link #errors()}.
 */
record FenceInfo(
    String language, Mode mode, Optional<Duration> timeout, List<String> errors) {

  /** The fence language whose blocks the runner executes. */
  static final String JAVA = "java";

  /** The fence language that holds the expected output of the preceding java block. */
  static final String OUTPUT = "output";

  private static final Pattern TOKEN = Pattern.compile("([^\\s=]+)(?:=(\"([^\"]*)\"|\\S*))?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)");

  static FenceInfo parse(String info) {
    String text = info == null ? "" : info.strip();
    List<String> errors = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    String language = "";
    Mode mode = new Mode.Run();
    Optional<Duration> timeout = Optional.empty();
    boolean first = true;
    int modes = 0;
    while (m.find()) {
      String name = m.group(1);
      String value = m.group(3) != null ? m.group(3) : m.group(2);
      if (first) {
        language = name.toLowerCase(java.util.Locale.ROOT);
        first = false;
        if (!language.equals(JAVA) && !language.equals(OUTPUT)) {
          break; // another language: shown to readers, never run, markers not ours
        }
        continue;
      }
      if (language.equals(OUTPUT)) {
        errors.add("an output fence takes no markers, found '" + m.group() + "'");
        continue;
      }
      switch (name) {
        case "lockcheck-fail" -> {
          modes++;
          String rule = value == null ? "" : value.strip();
          mode = new Mode.LockcheckFail(rule.isEmpty() ? Optional.empty() : Optional.of(rule));
        }
        case "compile-only", "skip" -> {
          modes++;
          String reason = value == null ? "" : value.strip();
          if (reason.isEmpty()) {
            errors.add(
                name + " needs a stated reason: " + name + "=\"why this block cannot run\"");
          }
          mode = name.equals("skip") ? new Mode.Skip(reason) : new Mode.CompileOnly(reason);
        }
        case "timeout" -> {
          Matcher d = DURATION.matcher(value == null ? "" : value.strip());
          if (!d.matches()) {
            errors.add("timeout needs a duration like timeout=10s or timeout=500ms, found '" + m.group() + "'");
          } else {
            long n = Long.parseLong(d.group(1));
            timeout = Optional.of(d.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n));
          }
        }
        default ->
            errors.add(
                "unknown marker '"
                    + name
                    + "' (known: lockcheck-fail[=rule-id], compile-only=\"reason\", skip=\"reason\", timeout=10s)");
      }
    }
    if (modes > 1) {
      errors.add("a block takes at most one of lockcheck-fail, compile-only, skip");
    }
    return new FenceInfo(language, mode, timeout, List.copyOf(errors));
  }

  boolean isJava() {
    return language.equals(JAVA);
  }

  boolean isOutput() {
    return language.equals(OUTPUT);
  }
}
