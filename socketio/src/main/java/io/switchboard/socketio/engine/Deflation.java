package io.switchboard.socketio.engine;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) on the Socket.IO WebSocket, when the server enables it: the
 * negotiation, and the compression of outgoing messages.
 *
 * <p>Every negotiation ends with {@code server_no_context_takeover} and
 * {@code client_no_context_takeover} (RFC 7692 lets a server add both to any offer it accepts). So
 * each message is compressed and decompressed on its own, and no socket keeps a deflate window between
 * messages: with context takeover a socket holds about 256 KB of zlib state for its outgoing side and
 * about 40 KB for its incoming side, which a gateway of 18,000 sockets cannot afford. It also makes a
 * message's compressed bytes the same for every socket, so a broadcast is compressed once per event
 * loop (as {@link io.switchboard.socketio.parser.TextBytes} encodes it once) instead of once per socket;
 * that is why outgoing messages are compressed here rather than by Netty's per-channel encoder.
 * Incoming compressed messages go through Netty's decoder, bounded to the largest message.
 *
 * <p>Offers that ask for a smaller server window ({@code server_max_window_bits}) are declined: the
 * JDK's deflater only has the full window. Clients offer a plain alternative after such an offer.
 */
final class Deflation {
  static final String EXTENSION = "permessage-deflate";
  private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
  private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
  /** The empty stored block a sync flush ends with, which RFC 7692 (7.2.1) has the sender remove. */
  private static final int FLUSH_TAIL = 4;
  private static final int SCRATCH = 8192;
  private static final int SCRATCH_KEPT = 1 << 20;

  private static final FastThreadLocal<Compressor> COMPRESSOR = new FastThreadLocal<>() {
    @Override
    protected Compressor initialValue() {
      return new Compressor();
    }

    @Override
    protected void onRemoval(Compressor compressor) {
      compressor.deflater.end();
    }
  };

  private final int threshold;
  private final int level;
  private final PerMessageDeflateServerExtensionHandshaker handshaker;

  /**
   * {@code threshold}: messages of fewer bytes go out uncompressed; {@code level}: 1 to 9;
   * {@code maxMessage}: the most bytes one incoming frame may inflate to (the WebSocket, joining the fragments, bounds the
   * whole message).
   */
  Deflation(int threshold, int level, int maxMessage) {
    this.threshold = threshold;
    this.level = level;
    // Netty's handshaker validates the offer and builds the decoder; its encoder is not used.
    this.handshaker = new PerMessageDeflateServerExtensionHandshaker(level, false,
        PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, true, maxMessage);
  }

  /** The accepted permessage-deflate offer of this {@code Sec-WebSocket-Extensions} header, or null. */
  WebSocketServerExtension negotiate(String offers) {
    if (offers == null || offers.isBlank()) {
      return null;
    }
    List<WebSocketExtensionData> extensions;
    try {
      extensions = WebSocketExtensionUtil.extractExtensions(offers);
    } catch (RuntimeException malformed) {
      return null; // an offer we cannot read is an offer declined, not a failed handshake
    }
    for (WebSocketExtensionData offer : extensions) {
      if (!EXTENSION.equalsIgnoreCase(offer.name())) {
        continue;
      }
      Map<String, String> parameters = new HashMap<>(offer.parameters());
      parameters.putIfAbsent(SERVER_NO_CONTEXT, null);
      parameters.putIfAbsent(CLIENT_NO_CONTEXT, null);
      try {
        WebSocketServerExtension accepted = handshaker.handshakeExtension(new WebSocketExtensionData(EXTENSION, parameters));
        if (accepted != null) {
          return accepted;
        }
      } catch (NumberFormatException badValue) {
        // a window size that is no number: decline this offer, try the next
      }
    }
    return null;
  }

  /** The {@code Sec-WebSocket-Extensions} response value for an accepted extension. */
  static String responseHeader(WebSocketServerExtension accepted) {
    WebSocketExtensionData data = accepted.newReponseData();
    StringBuilder header = new StringBuilder(data.name());
    data.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(p -> {
      header.append("; ").append(p.getKey());
      if (p.getValue() != null) {
        header.append('=').append(p.getValue());
      }
    });
    return header.toString();
  }

  /**
   * The compressed payload of a text message's UTF-8 bytes, or null to send it as it is (under the
   * threshold, or no smaller compressed). The same array for the same {@code utf8} instance as one
   * of the last two calls on this thread: a broadcast compresses each of its two forms (with and
   * without the recovery offset, its members interleaved) once per event loop. Shared: never change it.
   */
  byte[] text(byte[] utf8) {
    if (utf8.length < threshold) {
      return null;
    }
    Compressor compressor = COMPRESSOR.get();
    if (compressor.lastInput == utf8 && compressor.lastLevel == level) {
      return compressor.lastOutput;
    }
    if (compressor.previousInput == utf8 && compressor.previousLevel == level) {
      return compressor.previousOutput;
    }
    compressor.previousInput = compressor.lastInput;
    compressor.previousLevel = compressor.lastLevel;
    compressor.previousOutput = compressor.lastOutput;
    compressor.lastOutput = compressor.compress(utf8, level);
    compressor.lastInput = utf8;
    compressor.lastLevel = level;
    return compressor.lastOutput;
  }

  /** As {@link #text}, uncached: binary attachments are rare, and their buffers may be reused by the caller. */
  byte[] binary(byte[] data) {
    return data.length < threshold ? null : COMPRESSOR.get().compress(data, level);
  }

  /** A raw deflater of one thread, reset for each message (no context takeover). */
  private static final class Compressor {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private byte[] scratch = new byte[SCRATCH];
    private byte[] lastInput;
    private int lastLevel;
    private byte[] lastOutput;
    private byte[] previousInput;
    private int previousLevel;
    private byte[] previousOutput;

    byte[] compress(byte[] input, int level) {
      deflater.reset();
      deflater.setLevel(level);
      deflater.setInput(input);
      int length = 0;
      // Done once all input is taken and the flush fit: a sync flush that fills the buffer may have
      // more to write, and the first call after a level change only applies the level.
      while (true) {
        if (length == scratch.length) {
          scratch = Arrays.copyOf(scratch, scratch.length * 2);
        }
        length += deflater.deflate(scratch, length, scratch.length - length, Deflater.SYNC_FLUSH);
        if (length < scratch.length && deflater.needsInput()) {
          break;
        }
      }
      byte[] out = length - FLUSH_TAIL < input.length ? Arrays.copyOf(scratch, length - FLUSH_TAIL) : null;
      if (scratch.length > SCRATCH_KEPT) {
        scratch = new byte[SCRATCH];
      }
      return out;
    }
  }
}
