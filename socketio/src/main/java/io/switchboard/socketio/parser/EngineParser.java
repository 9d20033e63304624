package io.switchboard.socketio.parser;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Engine.IO v4 packet and payload codec. Over WebSocket a packet is one frame: text frames are the
 * type digit followed by the data, binary frames are raw message bytes. Over HTTP long-polling a
 * payload is the text packets joined with the record separator {@code \x1e}, binary messages being
 * written as {@code b<base64>}.
 *
 * <p>Encoded frames are passed around as {@code Object}: a {@code String} (text frame) or a
 * {@code Buffer} (binary frame). That lets a broadcast share one encoded instance between sessions.
 */
public final class EngineParser {
  public static final char RECORD_SEPARATOR = '\u001e';

  private EngineParser() {}

  /** The WebSocket frame of a packet: String or Buffer. */
  public static Object encode(EnginePacket packet) {
    if (packet.binary()) {
      return packet.data();
    }
    return packet.type().code() + packet.text();
  }

  /** A text frame for a MESSAGE packet. */
  public static String message(String data) {
    return "4" + data;
  }

  /** Decodes one WebSocket text frame (or one record of a polling payload). */
  public static EnginePacket decode(String frame) throws PacketFormatException {
    if (frame.isEmpty()) {
      throw new PacketFormatException("empty packet");
    }
    EnginePacket.Type type = EnginePacket.Type.of(frame.charAt(0));
    if (type == null) {
      throw new PacketFormatException("unknown packet type");
    }
    return new EnginePacket(type, frame.substring(1));
  }

  /** A binary WebSocket frame is always a MESSAGE. */
  public static EnginePacket decode(Buffer frame) {
    return new EnginePacket(EnginePacket.Type.MESSAGE, frame);
  }

  /** Joins encoded frames (String or Buffer, see {@link #encode}) into a polling payload. */
  public static String encodePayload(List<Object> frames) {
    StringBuilder sb = new StringBuilder();
    for (Object frame : frames) {
      if (sb.length() > 0) {
        sb.append(RECORD_SEPARATOR);
      }
      if (frame instanceof Buffer b) {
        sb.append('b').append(Base64.getEncoder().encodeToString(b.getBytes()));
      } else {
        sb.append((String) frame);
      }
    }
    return sb.toString();
  }

  /** Splits a polling payload posted by a client. */
  public static List<EnginePacket> decodePayload(String payload) throws PacketFormatException {
    List<EnginePacket> packets = new ArrayList<>();
    int start = 0;
    while (start <= payload.length()) {
      int end = payload.indexOf(RECORD_SEPARATOR, start);
      if (end < 0) {
        end = payload.length();
      }
      String record = payload.substring(start, end);
      if (!record.isEmpty() && record.charAt(0) == 'b') {
        try {
          packets.add(decode(Buffer.buffer(Base64.getDecoder().decode(record.substring(1)))));
        } catch (IllegalArgumentException e) {
          throw new PacketFormatException("invalid base64 binary packet");
        }
      } else {
        packets.add(decode(record));
      }
      start = end + 1;
    }
    return packets;
  }
}
