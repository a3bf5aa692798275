package dev.sharedstate.learn.book;

import java.util.Locale;

/**
 * Draws a {@link Timeline} as SVG, on the server: a lane per thread, a thin green bar for each lock
 * it held, a thick bar for each wait (red for a lock, orange for a future, latch, queue or join, grey
 * for a sleep), an arrow from a waiter to the thread that held what it waited for, a hatched end for a
 * wait that was still going when the run was stopped. Every text in it is escaped; the page shows it
 * as an image, so nothing in it can run.
 */
final class TimelineSvg {
  private TimelineSvg() {}

  private static final int WIDTH = 820;
  private static final int LABEL = 150;
  private static final int RIGHT = 24;
  private static final int TOP = 46;
  private static final int LANE = 44;

  static String render(Timeline t) {
    int plot = WIDTH - LABEL - RIGHT;
    long total = t.millis();
    int height = TOP + LANE * Math.max(1, t.lanes().size()) + 44;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n");
    s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>"
        + "<pattern id=\"open\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        + "patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#b52b27\"/></pattern></defs>\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    s.append(text(8, 18, "Threads of this run, " + total + " ms, as the JShell VM recorded them (JFR and lock samples)",
        "font-weight=\"600\""));
    // time axis
    long step = niceStep(total);
    int axisY = TOP - 10;
    for (long ms = 0; ms <= total; ms += step) {
      double x = LABEL + plot * (double) ms / total;
      s.append(line(x, axisY, x, TOP + LANE * t.lanes().size(), "#e4e4e4"));
      s.append(text(x - 8, axisY - 4, ms + " ms", "fill=\"#777\" font-size=\"10\""));
    }
    for (int i = 0; i < t.lanes().size(); i++) {
      int y = TOP + i * LANE;
      if (i % 2 == 1) {
        s.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH).append("\" height=\"")
            .append(LANE).append("\" fill=\"#f7f7f9\"/>\n");
      }
      s.append(text(8, y + 26, clip(t.lanes().get(i), 22), "font-weight=\"600\""));
    }
    for (Timeline.Bar b : t.bars()) {
      double x1 = LABEL + plot * (double) b.startMs() / total;
      double x2 = Math.max(x1 + 2, LABEL + plot * (double) b.endMs() / total);
      int y = TOP + b.lane() * LANE;
      String color = switch (b.kind()) {
        case HOLD -> "#3c9a4a";
        case WAIT_LOCK -> "#d9534f";
        case WAIT_OTHER -> "#ee9a2f";
        case SLEEP -> "#9e9e9e";
      };
      if (b.kind() == Timeline.Kind.HOLD) {
        s.append(rect(x1, y + 6, x2 - x1, 6, color));
        if (x2 - x1 > 90) {
          s.append(text(x1 + 3, y + 4 + 0.5, "holds " + clip(b.what(), (int) ((x2 - x1) / 6)),
              "fill=\"#2d7a39\" font-size=\"9\""));
        }
        continue;
      }
      s.append(rect(x1, y + 16, x2 - x1, 16, color));
      if (b.open()) {
        s.append(rect(Math.max(x1, x2 - 14), y + 16, Math.min(14, x2 - x1), 16, "url(#open)"));
      }
      String label = switch (b.kind()) {
        case SLEEP -> "sleep " + b.millis() + " ms";
        default -> b.millis() + " ms: " + b.what() + (b.timedOut() ? ", gave up" : "") + (b.open() ? ", stopped" : "");
      };
      int room = (int) ((x2 - x1 - 6) / 6.2);
      if (room >= 6) {
        s.append(text(x1 + 3, y + 28, clip(label, room), "fill=\"#fff\" font-size=\"11\""));
      }
      if (b.owner() >= 0) {
        int oy = TOP + b.owner() * LANE + 12;
        int from = y + (b.owner() > b.lane() ? 32 : 16);
        double ax = x1 + 3;
        s.append("<line x1=\"").append(f(ax)).append("\" y1=\"").append(from).append("\" x2=\"").append(f(ax))
            .append("\" y2=\"").append(b.owner() > b.lane() ? oy - 6 : oy + 2)
            .append("\" stroke=\"#333\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n");
      }
    }
    int ly = TOP + LANE * t.lanes().size() + 22;
    double lx = LABEL;
    for (String[] item : new String[][] {{"#3c9a4a", "holds a lock"}, {"#d9534f", "waits for a lock"},
        {"#ee9a2f", "waits for a future, latch, queue or join"}, {"#9e9e9e", "sleeps"}}) {
      s.append(rect(lx, ly - 9, 12, 10, item[0]));
      s.append(text(lx + 16, ly, item[1], "fill=\"#444\""));
      lx += 22 + item[1].length() * 6.4;
    }
    s.append(text(LABEL, ly + 16, "an arrow points from a waiter to the thread that held what it waited for",
        "fill=\"#777\" font-size=\"10\""));
    s.append("</svg>\n");
    return s.toString();
  }

  private static long niceStep(long total) {
    long[] steps = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000};
    for (long st : steps) {
      if (total / st <= 8) {
        return st;
      }
    }
    return 60000;
  }

  private static String clip(String s, int max) {
    if (max < 2) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
  }

  private static String rect(double x, double y, double w, double h, String fill) {
    return "<rect x=\"" + f(x) + "\" y=\"" + f(y) + "\" width=\"" + f(w) + "\" height=\"" + f(h) + "\" rx=\"2\" fill=\""
        + fill + "\"/>\n";
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\" stroke=\""
        + color + "\"/>\n";
  }

  private static String text(double x, double y, String text, String attrs) {
    return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" " + attrs + ">" + Html.esc(text) + "</text>\n";
  }

  private static String f(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }
}
