package io.switchboard.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Socket.IO v5 packet codec: {@code <type>[<attachments>-][<nsp>,][<ack id>][<JSON>]}. Encoding
 * uses Jackson through {@link DatabindCodec#mapper()}, so JsonObject, JsonArray, records and maps
 * all serialize; Buffers and byte arrays become binary attachments.
 */
public final class SioParser {
  /** Ack ids beyond this are refused rather than overflowing. */
  private static final int MAX_ID_DIGITS = 15;
  /**
   * Binary attachments one packet may announce. Each arrives as its own Engine.IO packet of at most
   * maxPayload bytes, so this bounds what one pending packet can make the server buffer.
   */
  public static final int MAX_ATTACHMENTS = 16;

  private SioParser() {}

  /** Encodes a packet to its Engine.IO frames. Throws IllegalArgumentException when data cannot be serialized. */
  public static EncodedPacket encode(SioPacket.Type type, String nsp, long id, Object data) {
    List<Buffer> attachments = new ArrayList<>(0);
    Object json = data != null && Binary.hasBinary(data) ? Binary.deconstruct(data, attachments) : data;
    if (!attachments.isEmpty()) {
      type = type == SioPacket.Type.ACK ? SioPacket.Type.BINARY_ACK
          : type == SioPacket.Type.EVENT ? SioPacket.Type.BINARY_EVENT : type;
    }
    StringBuilder sb = new StringBuilder(64).append('4').append(type.code());
    if (!attachments.isEmpty()) {
      sb.append(attachments.size()).append('-');
    }
    if (nsp != null && !"/".equals(nsp)) {
      sb.append(nsp).append(',');
    }
    if (id >= 0) {
      sb.append(id);
    }
    if (json != null) {
      try {
        sb.append(DatabindCodec.mapper().writeValueAsString(json));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("cannot encode packet data: " + e.getOriginalMessage(), e);
      }
    }
    List<Object> frames = new ArrayList<>(1 + attachments.size());
    frames.add(sb.toString());
    frames.addAll(attachments);
    return new EncodedPacket(List.copyOf(frames));
  }

  /** Decodes the data of an Engine.IO MESSAGE packet (without the leading "4"). */
  public static SioPacket decode(String s) throws PacketFormatException {
    if (s.isEmpty()) {
      throw new PacketFormatException("empty packet");
    }
    SioPacket.Type type = SioPacket.Type.of(s.charAt(0));
    if (type == null) {
      throw new PacketFormatException("unknown packet type");
    }
    int i = 1;
    int attachments = 0;
    if (type == SioPacket.Type.BINARY_EVENT || type == SioPacket.Type.BINARY_ACK) {
      int dash = s.indexOf('-', i);
      if (dash < 0 || dash == i || dash - i > 6 || !digits(s, i, dash)) {
        throw new PacketFormatException("illegal attachments");
      }
      attachments = Integer.parseInt(s, i, dash, 10);
      if (attachments > MAX_ATTACHMENTS) {
        throw new PacketFormatException("too many attachments");
      }
      i = dash + 1;
    }
    String nsp = "/";
    if (i < s.length() && s.charAt(i) == '/') {
      int comma = s.indexOf(',', i);
      int end = comma < 0 ? s.length() : comma;
      nsp = s.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    long id = -1;
    int idStart = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i > idStart) {
      if (i - idStart > MAX_ID_DIGITS) {
        throw new PacketFormatException("illegal ack id");
      }
      id = Long.parseLong(s, idStart, i, 10);
    }
    Object data = null;
    if (i < s.length()) {
      try {
        data = Json.decodeValue(s.substring(i));
      } catch (DecodeException e) {
        throw new PacketFormatException("invalid JSON payload");
      }
    }
    SioPacket packet = new SioPacket(type, nsp, id, data, attachments);
    validate(packet);
    return packet;
  }

  private static boolean digits(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Character.isDigit(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** The payload rules of the reference parser: what each packet type may carry. */
  private static void validate(SioPacket p) throws PacketFormatException {
    Object d = p.data();
    boolean ok = switch (p.type()) {
      case CONNECT -> d == null || d instanceof JsonObject;
      case DISCONNECT -> d == null;
      case CONNECT_ERROR -> d instanceof JsonObject || d instanceof String;
      case EVENT, BINARY_EVENT -> d instanceof JsonArray a && !a.isEmpty() && a.getValue(0) instanceof String;
      case ACK, BINARY_ACK -> d instanceof JsonArray && p.id() >= 0;
    };
    if (!ok) {
      throw new PacketFormatException("invalid payload for " + p.type());
    }
  }
}
