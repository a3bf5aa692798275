package dev.sharedstate.lockcheck.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.Log;

/** A Maven log that keeps every line, prefixed with its level, for assertions. */
final class RecordingLog implements Log {
  final List<String> lines = new ArrayList<>();

  List<String> at(String level) {
    return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.length() + 1)).toList();
  }

  private void add(String level, CharSequence msg, Throwable t) {
    lines.add(level + " " + (msg == null ? "" : msg) + (t == null ? "" : " " + t));
  }

  @Override public boolean isDebugEnabled() { return true; }
  @Override public void debug(CharSequence c) { add("debug", c, null); }
  @Override public void debug(CharSequence c, Throwable t) { add("debug", c, t); }
  @Override public void debug(Throwable t) { add("debug", null, t); }
  @Override public boolean isInfoEnabled() { return true; }
  @Override public void info(CharSequence c) { add("info", c, null); }
  @Override public void info(CharSequence c, Throwable t) { add("info", c, t); }
  @Override public void info(Throwable t) { add("info", null, t); }
  @Override public boolean isWarnEnabled() { return true; }
  @Override public void warn(CharSequence c) { add("warn", c, null); }
  @Override public void warn(CharSequence c, Throwable t) { add("warn", c, t); }
  @Override public void warn(Throwable t) { add("warn", null, t); }
  @Override public boolean isErrorEnabled() { return true; }
  @Override public void error(CharSequence c) { add("error", c, null); }
  @Override public void error(CharSequence c, Throwable t) { add("error", c, t); }
  @Override public void error(Throwable t) { add("error", null, t); }
}
