package io.switchboard.message.attachments;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/**
 * An image's dimensions and a thumbnail (a PNG of at most {@link #THUMBNAIL} pixels a side), read with
 * javax.imageio: CPU work, on a worker thread only. Only PNG and JPEG are read; other files get none.
 */
final class Images {
  static final int THUMBNAIL = 256;

  static {
    // A server has no display; AWT must not look for one.
    System.setProperty("java.awt.headless", "true");
  }
  /** Larger images are not decoded: a small file may claim huge dimensions (a decompression bomb). */
  static final long MAX_PIXELS = 40_000_000L;

  record Read(int width, int height, byte[] thumbnail) {}

  private Images() {}

  static boolean readable(String contentType) {
    return "image/png".equals(contentType) || "image/jpeg".equals(contentType);
  }

  /** The image's size and thumbnail; null when the bytes are no image this can read. */
  static Read read(InputStream in) throws IOException {
    try (var stream = ImageIO.createImageInputStream(in)) {
      if (stream == null) {
        return null;
      }
      var readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return null;
      }
      var reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          return new Read(width, height, null);
        }
        BufferedImage image = reader.read(0);
        return new Read(width, height, thumbnail(image));
      } finally {
        reader.dispose();
      }
    }
  }

  private static byte[] thumbnail(BufferedImage image) throws IOException {
    double scale = Math.min(1.0, (double) THUMBNAIL / Math.max(image.getWidth(), image.getHeight()));
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(small, "png", out);
    return out.toByteArray();
  }
}
