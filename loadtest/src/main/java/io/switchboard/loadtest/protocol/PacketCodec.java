package io.switchboard.loadtest.protocol;

/**
 * Encodes and decodes the text frames of Socket.IO v5 over Engine.IO v4 on a WebSocket: one Engine.IO
 * packet per frame, a Socket.IO packet inside each MESSAGE ({@code 4}). Binary packets are decoded
 * as headers only: the load generator never sends attachments.
 *
 * <p>Decoding keeps payloads as raw JSON text: the hot path (tens of thousands of frames per second)
 * only needs the event name and a number or two, found with {@link JsonScan}.
 */
public final class PacketCodec {
  /** The Engine.IO pong answering a server ping. */
  public static final String PONG = "3";
  /** The Engine.IO ping (client-initiated pings are not part of v4; used only in tests). */
  public static final String PING = "2";

  private PacketCodec() {}

  /** {@code 40[/nsp,]{auth}}: CONNECT to a namespace with an auth payload (raw JSON object, or null). */
  public static String connect(String namespace, String authJson) {
    StringBuilder sb = new StringBuilder(16 + (authJson == null ? 0 : authJson.length())).append("40");
    appendNamespace(sb, namespace);
    if (authJson != null) {
      sb.append(authJson);
    }
    return sb.toString();
  }

  /** {@code 41[/nsp,]}: DISCONNECT from a namespace. */
  public static String disconnect(String namespace) {
    StringBuilder sb = new StringBuilder("41");
    appendNamespace(sb, namespace);
    return sb.toString();
  }

  /**
   * {@code 42[/nsp,][ackId]["event",arg]}: an EVENT with one argument given as raw JSON (null for no
   * argument) and an ack id (negative for none).
   */
  public static String event(String namespace, int ackId, String event, String argJson) {
    StringBuilder sb = new StringBuilder(event.length() + 24 + (argJson == null ? 0 : argJson.length())).append("42");
    appendNamespace(sb, namespace);
    if (ackId >= 0) {
      sb.append(ackId);
    }
    sb.append("[\"");
    JsonScan.appendEscaped(sb, event);
    sb.append('"');
    if (argJson != null) {
      sb.append(',').append(argJson);
    }
    return sb.append(']').toString();
  }

  /** {@code 43[/nsp,]ackId[args]}: an ACK with its raw JSON argument array. */
  public static String ack(String namespace, int ackId, String argsJson) {
    StringBuilder sb = new StringBuilder("43");
    appendNamespace(sb, namespace);
    return sb.append(ackId).append(argsJson).toString();
  }

  private static void appendNamespace(StringBuilder sb, String namespace) {
    if (namespace != null && !namespace.equals("/")) {
      sb.append(namespace).append(',');
    }
  }

  /** Decodes one Engine.IO text frame. */
  public static EngineFrame decode(String frame) {
    if (frame == null || frame.isEmpty()) {
      throw new PacketFormatException("empty frame");
    }
    int type = frame.charAt(0) - '0';
    if (type < EngineFrame.OPEN || type > EngineFrame.NOOP) {
      throw new PacketFormatException("unknown Engine.IO packet type '" + frame.charAt(0) + "'");
    }
    String data = frame.substring(1);
    return new EngineFrame(type, data, type == EngineFrame.MESSAGE ? decodeSocketIo(data) : null);
  }

  /** Decodes the Socket.IO packet inside an Engine.IO MESSAGE (the text after the {@code 4}). */
  public static SioPacket decodeSocketIo(String s) {
    if (s.isEmpty()) {
      throw new PacketFormatException("empty Socket.IO packet");
    }
    int type = s.charAt(0) - '0';
    if (type < SioPacket.CONNECT || type > SioPacket.BINARY_ACK) {
      throw new PacketFormatException("unknown Socket.IO packet type '" + s.charAt(0) + "'");
    }
    int i = 1;
    int n = s.length();
    if (type == SioPacket.BINARY_EVENT || type == SioPacket.BINARY_ACK) {
      int dash = s.indexOf('-', i);
      if (dash < 0) {
        throw new PacketFormatException("binary packet without attachment count");
      }
      i = dash + 1;
    }
    String namespace = "/";
    if (i < n && s.charAt(i) == '/') {
      int comma = s.indexOf(',', i);
      int end = comma < 0 ? n : comma;
      namespace = s.substring(i, end);
      i = comma < 0 ? n : comma + 1;
    }
    int ackId = -1;
    if (i < n && Character.isDigit(s.charAt(i))) {
      long id = 0;
      while (i < n && Character.isDigit(s.charAt(i))) {
        id = id * 10 + (s.charAt(i++) - '0');
        if (id > Integer.MAX_VALUE) {
          throw new PacketFormatException("ack id out of range");
        }
      }
      ackId = (int) id;
    }
    String data = s.substring(i);
    String event = null;
    if (type == SioPacket.EVENT || type == SioPacket.BINARY_EVENT) {
      event = eventName(data);
    } else if ((type == SioPacket.ACK || type == SioPacket.BINARY_ACK) && ackId < 0) {
      throw new PacketFormatException("ACK without an id");
    }
    return new SioPacket(type, namespace, ackId, event, data);
  }

  /** The first element of an event's argument array, which must be a string. */
  private static String eventName(String data) {
    if (data.length() < 3 || data.charAt(0) != '[' || data.charAt(1) != '"') {
      throw new PacketFormatException("EVENT payload is not an array starting with the event name");
    }
    int[] end = new int[1];
    String name = JsonScan.readString(data, 1, end);
    if (name == null) {
      throw new PacketFormatException("unterminated event name");
    }
    return name;
  }
}
