package dev.sharedstate.lockcheck;

import java.nio.file.Path;

/** One reported problem: a rule, the position of the blocking call (1-based), and the message. */
public record Finding(String ruleId, Path file, int line, int column, String message) {}
