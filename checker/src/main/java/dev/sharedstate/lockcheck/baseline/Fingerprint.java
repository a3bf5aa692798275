package dev.sharedstate.lockcheck.baseline;

import java.util.Comparator;
import java.util.List;

/**
 * What identifies a finding across edits, without line numbers: the rule, the file (relative to the
 * baseline file's directory, {@code /}-separated), the enclosing type and member
 * ({@code com.example.Service#refresh(int)}), the flagged call as written with whitespace collapsed,
 * and the locks held. {@code occurrence} numbers findings that agree on all of these, in source order.
 */
public record Fingerprint(String rule, String file, String member, String code, List<String> locks, int occurrence) {

  public Fingerprint {
    locks = List.copyOf(locks);
  }

  /** The stable order of a baseline file: by file, member, code, rule, locks, occurrence. */
  static final Comparator<Fingerprint> ORDER = Comparator.comparing(Fingerprint::file)
      .thenComparing(Fingerprint::member)
      .thenComparing(Fingerprint::code)
      .thenComparing(Fingerprint::rule)
      .thenComparing(f -> String.join("\u0000", f.locks()))
      .thenComparingInt(Fingerprint::occurrence);

  /** Everything but the occurrence: findings with the same key are told apart by counting. */
  Key key() {
    return new Key(rule, file, member, code, locks);
  }

  record Key(String rule, String file, String member, String code, List<String> locks) {}

  /** Collapses every run of whitespace to one space, and strips the ends. */
  static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }
}
