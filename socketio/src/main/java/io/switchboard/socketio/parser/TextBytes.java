package io.switchboard.socketio.parser;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes of a packet's text, remembered per thread for the last two texts asked for: a
 * broadcast writes one text to every target socket on a thread (two, interleaved, when some sockets
 * asked for recovery offsets and some did not), and the recovery log stores the same text, so they
 * share one encoding instead of one each. The array is shared: read it, never change it.
 */
public final class TextBytes {
  private static final FastThreadLocal<Last> LAST = new FastThreadLocal<>() {
    @Override
    protected Last initialValue() {
      return new Last();
    }
  };

  private TextBytes() {}

  /** The UTF-8 encoding of {@code text}; the same array for the same instance as one of the last two calls on this thread. */
  public static byte[] utf8(String text) {
    Last last = LAST.get();
    if (last.text == text) {
      return last.utf8;
    }
    if (last.previousText == text) {
      return last.previousUtf8;
    }
    last.previousText = last.text;
    last.previousUtf8 = last.utf8;
    last.text = text;
    last.utf8 = text.getBytes(StandardCharsets.UTF_8);
    return last.utf8;
  }

  private static final class Last {
    private String text;
    private byte[] utf8;
    private String previousText;
    private byte[] previousUtf8;
  }
}
