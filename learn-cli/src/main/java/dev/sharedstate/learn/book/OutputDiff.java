package dev.sharedstate.learn.book;

import dev.sharedstate.chapters.markdown.ExpectedOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of expected and actual output side by side, with what differs marked, using the runner's own
 * matching ({@link ExpectedOutput#matches}: {@code [..]} within a line, a {@code ...} line for any
 * lines, trailing whitespace ignored), so the page marks exactly what made {@code mvn test} fail.
 */
final class OutputDiff {
  private OutputDiff() {}

  /** One line: {@code same} (matches), {@code expected} (only in the expected output), {@code actual} (only printed). */
  record Line(String op, String text) {}

  static List<Line> diff(String expected, String actual) {
    List<String> want = lines(expected);
    List<String> got = lines(actual);
    int n = want.size();
    int m = got.size();
    // best[i][j]: most matched lines aligning want[i..] with got[j..]; a "..." line may take any run.
    int[][] best = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      boolean any = want.get(i).strip().equals(ExpectedOutput.ANY_LINES);
      for (int j = m; j >= 0; j--) {
        int v = best[i + 1][j];
        if (j < m) {
          v = Math.max(v, best[i][j + 1]);
          if (any) {
            v = Math.max(v, best[i][j + 1] + 1);
          } else if (ExpectedOutput.matches(want.get(i), got.get(j))) {
            v = Math.max(v, best[i + 1][j + 1] + 1);
          }
        }
        best[i][j] = v;
      }
    }
    List<Line> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && want.get(i).strip().equals(ExpectedOutput.ANY_LINES)) {
        if (j < m && best[i][j] != best[i + 1][j] && best[i][j] == best[i][j + 1] + 1) {
          out.add(new Line("same", got.get(j++))); // the "..." takes this line
        } else {
          i++; // the "..." is done; what follows matches the rest
        }
      } else if (i < n && j < m && ExpectedOutput.matches(want.get(i), got.get(j))
          && best[i][j] == best[i + 1][j + 1] + 1) {
        out.add(new Line("same", got.get(j)));
        i++;
        j++;
      } else if (i < n && (j == m || best[i][j] == best[i + 1][j])) {
        out.add(new Line("expected", want.get(i++)));
      } else {
        out.add(new Line("actual", got.get(j++)));
      }
    }
    return out;
  }

  private static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    for (String l : s.replace("\r", "").split("\n", -1)) {
      out.add(l.stripTrailing());
    }
    while (!out.isEmpty() && out.getLast().isEmpty()) {
      out.removeLast();
    }
    return out;
  }
}
