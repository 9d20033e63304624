package io.switchboard.socketio;

import java.util.List;

/**
 * Server settings, with the defaults of the reference Node server. Copied into the server when it is
 * created; later changes have no effect.
 */
public class SocketIoOptions {
  private String path = "/socket.io/";
  private long pingIntervalMs = 25_000;
  private long pingTimeoutMs = 20_000;
  private int maxPayload = 1_000_000;
  private long upgradeTimeoutMs = 10_000;
  private long connectTimeoutMs = 45_000;
  private int connectAttemptsPerSession = 10;
  private SessionAdmission sessionAdmission = SessionAdmission.OPEN;
  private List<String> corsOrigins = List.of("*");
  private boolean corsCredentials = true;
  private boolean pollingEnabled = true;
  private boolean websocketEnabled = true;
  private long recoveryWindowMs = 120_000;
  private boolean recoveryOptIn = true;
  private int pollingQueueLimit = 1_024;
  private int websocketBacklogLimit = 4 * 1024 * 1024;
  private int recoveryLogLimit = 10_000;
  private int recoveryLogBytes = 16 * 1024 * 1024;
  private boolean websocketCompression = false;
  private int compressionThreshold = 1024;
  private int compressionLevel = 6;

  public String path() { return path; }
  public SocketIoOptions path(String path) { this.path = path; return this; }

  public long pingIntervalMs() { return pingIntervalMs; }
  public SocketIoOptions pingIntervalMs(long value) { this.pingIntervalMs = value; return this; }

  public long pingTimeoutMs() { return pingTimeoutMs; }
  public SocketIoOptions pingTimeoutMs(long value) { this.pingTimeoutMs = value; return this; }

  /** Largest Engine.IO payload (bytes) a client may send; larger ones close the session. */
  public int maxPayload() { return maxPayload; }
  public SocketIoOptions maxPayload(int value) { this.maxPayload = value; return this; }

  public long upgradeTimeoutMs() { return upgradeTimeoutMs; }
  public SocketIoOptions upgradeTimeoutMs(long value) { this.upgradeTimeoutMs = value; return this; }

  /**
   * How long a new session may stay open without connecting to any namespace, counted from its
   * handshake; then it is closed ("forced close") whatever it sends meanwhile (pongs do not extend it).
   * A CONNECT still being decided at that moment (middlewares running) is let finish; a refusal
   * then closes the session.
   */
  public long connectTimeoutMs() { return connectTimeoutMs; }
  public SocketIoOptions connectTimeoutMs(long value) { this.connectTimeoutMs = value; return this; }

  /**
   * Most CONNECT packets one session may send in its life (the official clients send one per
   * namespace, and open a new session to retry); the next one closes the session ("forced close").
   * Each CONNECT runs the namespace's middlewares (a token check, say) for a peer not yet known.
   */
  public int connectAttemptsPerSession() { return connectAttemptsPerSession; }
  public SocketIoOptions connectAttemptsPerSession(int value) { this.connectAttemptsPerSession = value; return this; }

  /**
   * Asked at each Engine.IO handshake whether the new session may open (connection limits that
   * count sessions before they authenticate); told when each admitted session closes. Default: all.
   */
  public SessionAdmission sessionAdmission() { return sessionAdmission; }
  public SocketIoOptions sessionAdmission(SessionAdmission value) { this.sessionAdmission = value; return this; }

  /** Allowed browser origins; {@code "*"} allows any. */
  public List<String> corsOrigins() { return corsOrigins; }
  public SocketIoOptions corsOrigins(List<String> value) { this.corsOrigins = List.copyOf(value); return this; }

  public boolean corsCredentials() { return corsCredentials; }
  public SocketIoOptions corsCredentials(boolean value) { this.corsCredentials = value; return this; }

  public boolean pollingEnabled() { return pollingEnabled; }
  public SocketIoOptions pollingEnabled(boolean value) { this.pollingEnabled = value; return this; }

  public boolean websocketEnabled() { return websocketEnabled; }
  public SocketIoOptions websocketEnabled(boolean value) { this.websocketEnabled = value; return this; }

  /**
   * Connection state recovery window (Socket.IO 4.6+): a client that reconnects within it gets its
   * id, rooms and missed packets back. 0 turns recovery off.
   */
  public long recoveryWindowMs() { return recoveryWindowMs; }
  public SocketIoOptions recoveryWindowMs(long value) { this.recoveryWindowMs = value; return this; }

  /**
   * With recovery on, whether only the sockets that ask for it get it (the default): a CONNECT whose
   * auth payload has {@code recover: true}, or a reconnect that carries a {@code pid}. Only those get
   * a {@code pid} in the CONNECT reply and the recovery offset as the last argument of each event;
   * every other socket gets the events' arguments alone, as from a server without recovery. The
   * reference server, with recovery on, appends offsets for every socket ({@code false} here), which
   * breaks clients whose handlers take a fixed number of arguments (Python, Dart).
   */
  public boolean recoveryOptIn() { return recoveryOptIn; }
  public SocketIoOptions recoveryOptIn(boolean value) { this.recoveryOptIn = value; return this; }

  /**
   * Most packets queued for one HTTP long-polling session between two GET requests; a session that
   * falls further behind is closed ("transport error") rather than growing without bound.
   */
  public int pollingQueueLimit() { return pollingQueueLimit; }
  public SocketIoOptions pollingQueueLimit(int value) { this.pollingQueueLimit = value; return this; }

  /**
   * Bytes a WebSocket session may write while its connection is not draining (the client reads
   * slower than the server writes, beyond Vert.x's own write queue); past it the session is closed
   * ("transport error") rather than buffering without bound.
   */
  public int websocketBacklogLimit() { return websocketBacklogLimit; }
  public SocketIoOptions websocketBacklogLimit(int value) { this.websocketBacklogLimit = value; return this; }

  /**
   * Most packets a namespace keeps for connection state recovery (besides the time window); a client
   * whose missed packets were dropped is not recovered and connects as a new socket.
   */
  public int recoveryLogLimit() { return recoveryLogLimit; }
  public SocketIoOptions recoveryLogLimit(int value) { this.recoveryLogLimit = value; return this; }

  /**
   * Most bytes of packets a namespace keeps for recovery (their frames as UTF-8 and bytes, with the
   * names of the rooms they targeted); the oldest make room for new ones, and a client whose missed
   * packets were dropped is not recovered.
   */
  public int recoveryLogBytes() { return recoveryLogBytes; }
  public SocketIoOptions recoveryLogBytes(int value) { this.recoveryLogBytes = value; return this; }

  /**
   * Whether a WebSocket whose client offers permessage-deflate (RFC 7692) gets it. Off by default,
   * as in the reference server. When on, the answer always includes {@code server_no_context_takeover}
   * and {@code client_no_context_takeover}: each message is compressed on its own, so no socket keeps
   * a deflate window between messages (about 256 KB of zlib state per socket for the server's side,
   * about 40 KB for the client's), and a broadcast is compressed once per event loop instead of once
   * per socket. Clients must accept both parameters, as RFC 7692 requires (Netty and Vert.x clients
   * only with their "allow client no context" option).
   */
  public boolean websocketCompression() { return websocketCompression; }
  public SocketIoOptions websocketCompression(boolean value) { this.websocketCompression = value; return this; }

  /**
   * With compression negotiated, messages of fewer bytes than this (UTF-8 for text) go out
   * uncompressed: for short chat frames deflate saves little and costs CPU on both ends. The
   * reference server's default is 1024.
   */
  public int compressionThreshold() { return compressionThreshold; }
  public SocketIoOptions compressionThreshold(int value) { this.compressionThreshold = value; return this; }

  /** Deflate level, 1 (fastest) to 9 (smallest); 6 is zlib's default, the reference server's. */
  public int compressionLevel() { return compressionLevel; }
  public SocketIoOptions compressionLevel(int value) {
    if (value < 1 || value > 9) {
      throw new IllegalArgumentException("compression level must be 1 to 9, got " + value);
    }
    this.compressionLevel = value;
    return this;
  }

  /**
   * Sets what the HTTP server needs for Socket.IO: WebSocket messages up to {@link #maxPayload()}
   * (Vert.x caps them at 256 KiB by default) and none of Vert.x's own WebSocket compression (its
   * negotiator keeps a deflate window per connection; the Socket.IO WebSocket negotiates
   * compression itself, see {@link #websocketCompression()}). Call it on the options of every HTTP
   * server the Socket.IO server is mounted on.
   */
  public io.vertx.core.http.HttpServerOptions applyTo(io.vertx.core.http.HttpServerOptions server) {
    int size = Math.max(maxPayload, server.getMaxWebSocketMessageSize()) + 1;
    return server.setMaxWebSocketMessageSize(size)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }
}
