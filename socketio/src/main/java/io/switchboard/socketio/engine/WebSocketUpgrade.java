package io.switchboard.socketio.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.Http1xServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Method;

/**
 * Upgrades a Vert.x HTTP/1.1 request to a {@link RawWebSocket}: Netty's RFC 6455 handshake, then the
 * connection's pipeline is handed from Vert.x's HTTP connection to the WebSocket handler, as Vert.x
 * does for its own WebSockets, minus the objects Vert.x keeps per connection.
 *
 * <p>Vert.x's books are kept: the upgrade request ends as a 101 response in its HTTP metrics (a
 * package-private Vert.x method, called once here), and the connection's close is reported to its
 * connection metrics. WebSocket compression is never negotiated.
 */
final class WebSocketUpgrade {
  /** Vert.x's own end of an accepted handshake: status 101, response written, request metrics closed. */
  private static final Method COMPLETE_HANDSHAKE;

  static {
    try {
      COMPLETE_HANDSHAKE = Http1xServerResponse.class.getDeclaredMethod("completeHandshake");
      COMPLETE_HANDSHAKE.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The last decoder configuration made: every connection's decoder keeps one for its life. */
  private static volatile WebSocketDecoderConfig lastDecoderConfig;

  private WebSocketUpgrade() {}

  /** Decoders of one server share their configuration (immutable), which a server's options fix. */
  static WebSocketDecoderConfig decoderConfig(int maxMessage, boolean allowExtensions) {
    WebSocketDecoderConfig config = lastDecoderConfig;
    if (config == null || config.maxFramePayloadLength() != maxMessage || config.allowExtensions() != allowExtensions) {
      config = WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(maxMessage)
          .allowExtensions(allowExtensions)
          .closeOnProtocolViolation(false)
          .build();
      lastDecoderConfig = config;
    }
    return config;
  }

  /**
   * Accepts the upgrade once the request has ended. Fails, after answering the request, when it is
   * no HTTP/1.1 WebSocket handshake. {@code maxMessage}: the largest message, in bytes, after which
   * the connection is closed with 1009. {@code deflation}: null when compression is off.
   */
  static Future<RawWebSocket> accept(HttpServerRequest req, ContextInternal context, int maxMessage,
      Deflation deflation) {
    if (!(req.connection() instanceof Http1xServerConnection conn)) {
      req.response().setStatusCode(400).end("WebSocket needs HTTP/1.1");
      return context.failedFuture("not an HTTP/1.1 connection");
    }
    String connection = req.getHeader("Connection");
    if (connection == null || !connection.toLowerCase().contains("upgrade")) {
      req.response().setStatusCode(400).end("\"Connection\" header must be \"Upgrade\".");
      return context.failedFuture("no Connection: Upgrade header");
    }
    req.handler(ignored -> {});
    return req.end().compose(v -> handshake(req, conn, context, maxMessage, deflation));
  }

  private static Future<RawWebSocket> handshake(HttpServerRequest req, Http1xServerConnection conn,
      ContextInternal context, int maxMessage, Deflation deflation) {
    Channel channel = conn.channelHandlerContext().channel();
    if (!channel.eventLoop().inEventLoop()) {
      // Pipeline changes belong to the connection's event loop; event-loop servers are there already.
      return context.failedFuture("WebSocket upgrade off the connection's event loop");
    }
    FullHttpRequest nettyRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, req.uri(),
        Unpooled.EMPTY_BUFFER, nettyHeaders(req.headers()), EmptyHttpHeaders.INSTANCE);
    WebSocketServerExtension deflate = deflation == null ? null
        : deflation.negotiate(req.getHeader(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
    // RSV1 marks a compressed message once deflate is agreed; otherwise any RSV bit is a violation.
    WebSocketDecoderConfig decoder = decoderConfig(maxMessage, deflate != null);
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
        "ws://" + req.authority() + req.uri(), null, decoder).newHandshaker(nettyRequest);
    if (handshaker == null) {
      req.response().setStatusCode(426).putHeader("Sec-WebSocket-Version", "13").end();
      return context.failedFuture("unsupported WebSocket version");
    }
    RawWebSocket socket = new RawWebSocket(channel, context, maxMessage, conn.metrics(), conn.metric(),
        deflate == null ? null : deflation);
    ChannelPipeline pipeline = channel.pipeline();
    // Nothing is read until the session binds to the socket (RawWebSocket.bind).
    channel.config().setAutoRead(false);
    // Vert.x's compression negotiator, when its options enable it: it would keep a deflate window per
    // connection (context takeover); compression is negotiated above instead, when enabled.
    if (pipeline.get(WebSocketServerExtensionHandler.class) != null) {
      pipeline.remove(WebSocketServerExtensionHandler.class);
    }
    HttpServerResponse response = req.response();
    if (deflate != null) {
      response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, Deflation.responseHeader(deflate));
    }
    try {
      handshaker.handshake(channel, nettyRequest, nettyHeaders(response.headers()), channel.newPromise());
    } catch (RuntimeException invalid) {
      // Netty checks the request (a missing Sec-WebSocket-Key, say) before it touches the pipeline.
      channel.config().setAutoRead(true);
      response.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
      response.setStatusCode(400).end("Invalid WebSocket handshake");
      return context.failedFuture(invalid);
    }
    try {
      COMPLETE_HANDSHAKE.invoke(response);
    } catch (ReflectiveOperationException | RuntimeException e) {
      channel.close();
      return context.failedFuture(e);
    }
    // RawWebSocket encodes its frames itself (with one encoder for all connections).
    if (pipeline.get("wsencoder") != null) {
      pipeline.remove("wsencoder");
    }
    if (pipeline.get(ChunkedWriteHandler.class) != null) {
      pipeline.remove(ChunkedWriteHandler.class);
    }
    // The HTTP server's idle timeout is for HTTP: a session's heartbeat bounds a WebSocket's silence,
    // and the idle handler would keep a scheduled task per connection for nothing (this socket does
    // not act on idle events).
    if (pipeline.get(IdleStateHandler.class) != null) {
      pipeline.remove(IdleStateHandler.class);
    }
    pipeline.replace(VertxHandler.class, "handler", socket);
    if (deflate != null) {
      // Inflates each frame before the handler joins the fragments, which bounds the whole message's
      // inflated size.
      pipeline.addBefore("handler", "wsinflater", deflate.newExtensionDecoder());
    }
    return context.succeededFuture(socket);
  }

  /** Vert.x's HTTP/1 header maps are Netty header maps; anything else is copied. */
  private static HttpHeaders nettyHeaders(io.vertx.core.MultiMap headers) {
    if (headers instanceof HttpHeaders netty) {
      return netty;
    }
    HttpHeaders copy = new io.netty.handler.codec.http.DefaultHttpHeaders();
    headers.forEach(e -> copy.add(e.getKey(), e.getValue()));
    return copy;
  }
}
