package io.switchboard.loadtest.protocol;

/**
 * One decoded Socket.IO packet (protocol v5), kept as raw text where the load generator does not
 * need more: {@code data} is the JSON after the header (the argument array of an EVENT or ACK, the
 * object of a CONNECT or CONNECT_ERROR), not parsed.
 *
 * @param type one of the {@code SioPacket} type constants
 * @param namespace "/" unless the packet names another
 * @param ackId the acknowledgement id, or -1 when there is none
 * @param event the event name of an EVENT, else null
 * @param data the raw JSON payload, or "" when there is none
 */
public record SioPacket(int type, String namespace, int ackId, String event, String data) {
  public static final int CONNECT = 0;
  public static final int DISCONNECT = 1;
  public static final int EVENT = 2;
  public static final int ACK = 3;
  public static final int CONNECT_ERROR = 4;
  public static final int BINARY_EVENT = 5;
  public static final int BINARY_ACK = 6;
}
