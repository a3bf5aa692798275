package dev.sharedstate.lockcheck;

import java.util.List;

/** Everything one run found: findings, and the inputs that could not be analysed. */
public record CheckResult(List<Finding> findings, List<InputProblem> problems) {
  public CheckResult {
    findings = List.copyOf(findings);
    problems = List.copyOf(problems);
  }
}
