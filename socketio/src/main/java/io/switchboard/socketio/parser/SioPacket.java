package io.switchboard.socketio.parser;

/**
 * One decoded Socket.IO v5 packet. {@code data} is what the JSON part decoded to (JsonObject,
 * JsonArray, String, Number, Boolean) or null when absent; {@code id} is the ack id or -1;
 * {@code attachments} is the number of binary frames that follow a BINARY_EVENT or BINARY_ACK.
 */
public record SioPacket(Type type, String nsp, long id, Object data, int attachments) {

  public enum Type {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    public char code() {
      return (char) ('0' + ordinal());
    }

    static Type of(char c) {
      int i = c - '0';
      Type[] all = values();
      return i >= 0 && i < all.length ? all[i] : null;
    }
  }

  public SioPacket withData(Object newData) {
    return new SioPacket(type, nsp, id, newData, attachments);
  }
}
