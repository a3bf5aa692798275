package dev.sharedstate.lockcheck;

import java.util.List;

/**
 * Everything one run found: findings (suppressed ones included, marked), the inputs that could not be
 * analysed, and how many files were looked at.
 */
public record CheckResult(List<Finding> findings, List<InputProblem> problems, int filesChecked) {
  public CheckResult {
    findings = List.copyOf(findings);
    problems = List.copyOf(problems);
  }

  public CheckResult(List<Finding> findings, List<InputProblem> problems) {
    this(findings, problems, 0);
  }

  /** Findings not silenced by {@code @SuppressWarnings}: the ones that count. */
  public List<Finding> reported() {
    return findings.stream().filter(f -> !f.suppressed()).toList();
  }

  /** The documented exit code: 2 if an input could not be analysed, else 1 if any finding counts, else 0. */
  public int exitCode() {
    if (!problems.isEmpty()) {
      return 2;
    }
    return reported().isEmpty() ? 0 : 1;
  }
}
