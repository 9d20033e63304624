package io.switchboard.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a plain TCP socket that shows the wire: the handshake's response head and
 * each frame's RSV bits and payload size, for the permessage-deflate tests (as socketio's test
 * support has it: test classes are not shared between modules). Blocking, on the test
 * thread, every read bounded by {@link Await#TIMEOUT_MS}.
 */
public final class WireSocket implements AutoCloseable {
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CLOSE = 8;
  private static final int RSV1 = 0x4;
  private static final byte[] FLUSH_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  /** A whole message: its opcode, whether its first frame had RSV1, its payload bytes on the wire and its data. */
  public record Message(int opcode, boolean compressed, int wireBytes, int frames, byte[] data) {
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String head;

  private WireSocket(Socket socket, String head) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.head = head;
  }

  /** Upgrades {@code uri}; {@code extensions}: the Sec-WebSocket-Extensions offer, or null for none. */
  public static WireSocket open(int port, String uri, String extensions) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) Await.TIMEOUT_MS);
    socket.getOutputStream().write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n" + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII));
    // Byte by byte up to the blank line: a buffered reader would swallow the first frames.
    InputStream raw = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithBlankLine(head)) {
      int b = raw.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    return new WireSocket(socket, head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] b = head.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  /** The response's status line and headers, lower-cased. */
  public String head() {
    return head;
  }

  /** The agreed Sec-WebSocket-Extensions, lower-cased, or null. */
  public String extensions() {
    for (String line : head.split("\r\n")) {
      if (line.startsWith("sec-websocket-extensions:")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return null;
  }

  /** The next data message (frames joined, inflated when compressed) or close frame. */
  public Message next() throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    int opcode = -1;
    boolean compressed = false;
    int frames = 0;
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      boolean fin = (b0 & 0x80) != 0;
      int rsv = (b0 >> 4) & 0x7;
      int op = b0 & 0xf;
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if ((b1 & 0x80) != 0) {
        throw new IOException("a server frame is masked");
      }
      byte[] data = new byte[(int) length];
      in.readFully(data);
      if (op >= 8) {
        if (op == CLOSE) {
          return new Message(CLOSE, false, data.length, 1, data);
        }
        continue; // ping / pong
      }
      if (frames == 0) {
        opcode = op;
        compressed = (rsv & RSV1) != 0;
      } else if (op != 0 || rsv != 0) {
        throw new IOException("bad continuation frame: opcode " + op + " rsv " + rsv);
      }
      frames++;
      payload.write(data);
      if (fin) {
        byte[] wire = payload.toByteArray();
        return new Message(opcode, compressed, wire.length, frames, compressed ? inflate(wire) : wire);
      }
    }
  }

  /** The next text message; fails on anything else. */
  public String nextText() throws IOException {
    Message m = next();
    if (m.opcode() != TEXT) {
      throw new AssertionError("expected a text message, got opcode " + m.opcode());
    }
    return m.text();
  }

  /** The close code of the next message, which must be a close frame (Engine.IO pings are skipped). */
  public int nextCloseCode() throws IOException {
    while (true) {
      Message m = next();
      if (m.opcode() == CLOSE) {
        return ((m.data()[0] & 0xff) << 8) | (m.data()[1] & 0xff);
      }
    }
  }

  public void sendText(String text, boolean compress) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    send(TEXT, compress ? RSV1 : 0, compress ? deflate(utf8) : utf8);
  }

  /** One frame, masked as a client's must be. */
  public void send(int opcode, int rsv, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | (rsv << 4) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift));
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** A message's payload as permessage-deflate sends it: raw deflate, sync flush, its 4-byte tail removed. */
  public static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(data);
      byte[] buffer = new byte[data.length + 64];
      int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
      return Arrays.copyOf(buffer, n - FLUSH_TAIL.length);
    } finally {
      deflater.end();
    }
  }

  /** The inverse, with a fresh inflater: the server takes over no context between messages. */
  public static byte[] inflate(byte[] payload) throws IOException {
    Inflater inflater = new Inflater(true);
    try {
      byte[] input = Arrays.copyOf(payload, payload.length + FLUSH_TAIL.length);
      System.arraycopy(FLUSH_TAIL, 0, input, payload.length, FLUSH_TAIL.length);
      inflater.setInput(input);
      ByteArrayOutputStream result = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.needsInput()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
          break;
        }
        result.write(buffer, 0, n);
      }
      return result.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("bad deflate data", e);
    } finally {
      inflater.end();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
