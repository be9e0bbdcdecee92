package io.recsys.app.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the prequential curve as a PNG with the JDK's own 2D graphics (no chart dependency). */
final class CurvePlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;
  private static final int MARGIN = 60;

  private CurvePlot() {}

  private static final Color COOCCURRENCE = new Color(0x2ca02c);
  private static final Color SERVED = new Color(0x222222);

  static void write(List<PrequentialCurve.Point> points, String title, Path file)
      throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      double maxX = points.isEmpty() ? 1 : points.get(points.size() - 1).events();
      double maxY = 0.05;
      for (PrequentialCurve.Point point : points) {
        maxY =
            Math.max(
                maxY,
                Math.max(
                    Math.max(point.model().hitRate10(), point.popularity().hitRate10()),
                    Math.max(point.cooccurrence().hitRate10(), point.served().hitRate10())));
      }
      maxY = Math.ceil(maxY * 10) / 10;
      drawAxes(g, maxX, maxY, title);
      drawLine(g, points, p -> p.model().hitRate10(), maxX, maxY, new Color(0x1f77b4), true);
      drawLine(g, points, p -> p.model().ndcg10(), maxX, maxY, new Color(0x1f77b4), false);
      drawLine(g, points, p -> p.popularity().hitRate10(), maxX, maxY, new Color(0xff7f0e), true);
      drawLine(g, points, p -> p.popularity().ndcg10(), maxX, maxY, new Color(0xff7f0e), false);
      drawLine(g, points, p -> p.cooccurrence().hitRate10(), maxX, maxY, COOCCURRENCE, true);
      drawLine(g, points, p -> p.cooccurrence().ndcg10(), maxX, maxY, COOCCURRENCE, false);
      drawLine(g, points, p -> p.served().hitRate10(), maxX, maxY, SERVED, true);
      drawLine(g, points, p -> p.served().ndcg10(), maxX, maxY, SERVED, false);
      legend(g);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static int x(double value, double maxX) {
    return MARGIN + (int) ((WIDTH - 2 * MARGIN) * value / maxX);
  }

  private static int y(double value, double maxY) {
    return HEIGHT - MARGIN - (int) ((HEIGHT - 2 * MARGIN) * value / maxY);
  }

  private static void drawAxes(Graphics2D g, double maxX, double maxY, String title) {
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN);
    g.drawLine(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN);
    for (int tick = 0; tick <= 5; tick++) {
      double yValue = maxY * tick / 5;
      g.drawString(String.format("%.2f", yValue), 15, y(yValue, maxY) + 4);
      double xValue = maxX * tick / 5;
      g.drawString(String.format("%,.0f", xValue), x(xValue, maxX) - 20, HEIGHT - MARGIN + 18);
    }
    g.drawString("events", WIDTH / 2 - 20, HEIGHT - 15);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, MARGIN, MARGIN - 25);
  }

  private static void drawLine(
      Graphics2D g,
      List<PrequentialCurve.Point> points,
      ToDoubleFunction<PrequentialCurve.Point> value,
      double maxX,
      double maxY,
      Color color,
      boolean solid) {
    g.setColor(color);
    g.setStroke(
        solid
            ? new BasicStroke(2f)
            : new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    for (int i = 1; i < points.size(); i++) {
      PrequentialCurve.Point a = points.get(i - 1);
      PrequentialCurve.Point b = points.get(i);
      g.drawLine(
          x(a.events(), maxX), y(value.applyAsDouble(a), maxY),
          x(b.events(), maxX), y(value.applyAsDouble(b), maxY));
    }
  }

  private static void legend(Graphics2D g) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    String[] labels = {
      "model HR@10 (solid), NDCG@10 (dashed)",
      "popularity HR@10 (solid), NDCG@10 (dashed)",
      "co-occurrence HR@10 (solid), NDCG@10 (dashed)",
      "served HR@10 (solid), NDCG@10 (dashed)"
    };
    Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), COOCCURRENCE, SERVED};
    for (int i = 0; i < labels.length; i++) {
      g.setColor(colors[i]);
      g.fillRect(WIDTH - MARGIN - 290, MARGIN + 5 + i * 18, 12, 12);
      g.setColor(Color.DARK_GRAY);
      g.drawString(labels[i], WIDTH - MARGIN - 272, MARGIN + 16 + i * 18);
    }
  }
}
