package dev.sharedstate.lockcheck;

import java.nio.file.Path;

/** An input that could not be (fully) analysed: the file, a 1-based position if known (else 0), why. */
public record InputProblem(Path file, int line, int column, String reason) {}
