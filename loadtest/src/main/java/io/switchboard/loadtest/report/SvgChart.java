package io.switchboard.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG: several named series of (x, y) points, linear x, linear or
 * logarithmic y, axis ticks, and a legend. No scripts, no external resources.
 */
final class SvgChart {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
      "#17becf"};
  private static final int W = 760;
  private static final int H = 280;
  private static final int LEFT = 64;
  private static final int RIGHT = 150;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  record Series(String name, List<double[]> points) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logY;
  private final List<Series> series = new ArrayList<>();
  private List<String> xCategories;

  SvgChart(String title, String xLabel, String yLabel, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logY = logY;
  }

  SvgChart add(String name, List<double[]> points) {
    if (!points.isEmpty()) {
      series.add(new Series(name, points));
    }
    return this;
  }

  /** Labels the x positions 0..n-1 with these names instead of numbers. */
  SvgChart categories(List<String> names) {
    this.xCategories = names;
    return this;
  }

  boolean isEmpty() {
    return series.isEmpty();
  }

  String render() {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Series s : series) {
      for (double[] p : s.points) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        double y = yValue(p[1]);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
    if (series.isEmpty()) {
      return "";
    }
    if (logY) {
      minY = Math.floor(minY);
      maxY = Math.max(minY + 1, Math.ceil(maxY));
    } else {
      minY = Math.min(0, minY);
      maxY = maxY <= minY ? minY + 1 : maxY * 1.05;
    }
    if (maxX <= minX) {
      maxX = minX + 1;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "viewBox='0 0 %d %d' font-family='sans-serif' font-size='11'>", W, H, W, H));
    sb.append("<text x='").append(LEFT).append("' y='16' font-size='13' font-weight='bold'>").append(esc(title))
        .append("</text>");
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
        LEFT, TOP, plotW, plotH));
    yTicks(sb, minY, maxY, plotW, plotH);
    xTicks(sb, minX, maxX, plotW, plotH);
    sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>", LEFT + plotW / 2, H - 4,
        esc(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text x='12' y='%d' transform='rotate(-90 12 %d)' text-anchor='middle'>%s</text>",
        TOP + plotH / 2, TOP + plotH / 2, esc(yLabel)));
    for (int i = 0; i < series.size(); i++) {
      drawSeries(sb, series.get(i), COLORS[i % COLORS.length], new double[] {minX, maxX, minY, maxY}, plotW, plotH);
      legend(sb, series.get(i).name, COLORS[i % COLORS.length], i);
    }
    return sb.append("</svg>").toString();
  }

  /** The series as a path, with a marker (and tooltip) per point when there are few. */
  private void drawSeries(StringBuilder sb, Series s, String color, double[] bounds, int plotW, int plotH) {
    StringBuilder path = new StringBuilder();
    StringBuilder markers = new StringBuilder();
    for (double[] p : s.points) {
      double x = LEFT + (p[0] - bounds[0]) / (bounds[1] - bounds[0]) * plotW;
      double y = TOP + plotH - (yValue(p[1]) - bounds[2]) / (bounds[3] - bounds[2]) * plotH;
      path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
      if (s.points.size() <= 40) {
        markers.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.2' fill='%s'><title>%s: %s</title></circle>",
            x, y, color, esc(s.name), fmt(p[1])));
      }
    }
    sb.append("<path d='").append(path).append("' fill='none' stroke='").append(color).append("' stroke-width='1.6'/>")
        .append(markers);
  }

  private static void legend(StringBuilder sb, String name, String color, int i) {
    int ly = TOP + 12 + i * 16;
    sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'/>",
        W - RIGHT + 10, ly - 4, W - RIGHT + 28, ly - 4, color));
    sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>", W - RIGHT + 32, ly, esc(name)));
  }

  private double yValue(double v) {
    return logY ? Math.log10(Math.max(v, 0.01)) : v;
  }

  private void yTicks(StringBuilder sb, double minY, double maxY, int plotW, int plotH) {
    List<Double> ticks = new ArrayList<>();
    if (logY) {
      for (double e = minY; e <= maxY + 1e-9; e++) {
        ticks.add(e);
      }
    } else {
      double step = niceStep((maxY - minY) / 5);
      for (double v = Math.ceil(minY / step) * step; v <= maxY + 1e-9; v += step) {
        ticks.add(v);
      }
    }
    for (double t : ticks) {
      double y = TOP + plotH - (t - minY) / (maxY - minY) * plotH;
      String label = logY ? fmt(Math.pow(10, t)) : fmt(t);
      sb.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", LEFT, y,
          LEFT + plotW, y));
      sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT - 4, y + 4, label));
    }
  }

  private void xTicks(StringBuilder sb, double minX, double maxX, int plotW, int plotH) {
    if (xCategories != null) {
      for (int i = 0; i < xCategories.size(); i++) {
        double x = LEFT + (i - minX) / (maxX - minX) * plotW;
        sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", x, TOP + plotH + 14,
            esc(xCategories.get(i))));
      }
      return;
    }
    double step = niceStep((maxX - minX) / 8);
    for (double v = Math.ceil(minX / step) * step; v <= maxX + 1e-9; v += step) {
      double x = LEFT + (v - minX) / (maxX - minX) * plotW;
      sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", x, TOP + plotH + 14,
          fmt(v)));
    }
  }

  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  static String fmt(double v) {
    if (Math.abs(v) >= 1000 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
