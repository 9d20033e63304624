package io.switchboard.socketio.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.socketio.parser.TextBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server WebSocket on the Netty channel of an upgraded HTTP/1.1 connection, in place of Vert.x's
 * {@code ServerWebSocket}. That one keeps, for the connection's whole life, the upgrade request and
 * its headers, the HTTP connection object and a cross-thread write queue whose first chunk is a
 * 1,025-slot array: more heap per idle socket than the rest of a session. This handler keeps the
 * channel and a few fields (see {@link WebSocketUpgrade} for the handshake).
 *
 * <p>Writes are flushed by the caller, once per send of one or more frames ({@link #flush}); while
 * this socket's inbound frames are being handled, flushes wait for the end of that read, so the
 * answers to a batch of frames leave together. Nothing waits for a later task: under load, a
 * flush queued behind other work would add that work's time to every write's latency.
 *
 * <p>State changes run on the channel's event loop; calls from other threads hop there, in order.
 * Inbound events are delivered on that loop, inside the upgrade request's Vert.x context, to the
 * {@link Listener} given to {@link #bind}; nothing is read before it.
 */
final class RawWebSocket extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RawWebSocket.class);
  /** How long a close we started waits for the client's close frame before the TCP close. */
  private static final long CLOSING_TIMEOUT_MS = 2000;
  /**
   * Longer texts go out in fragments of this size: clients built on Vert.x (our load generator, for
   * one) refuse single frames beyond 64 KB by default; browsers and Node's ws take either.
   */
  private static final int MAX_FRAME = 65536;
  /** Fragments joined per message at most before they are copied together (Netty's aggregator's default). */
  private static final int MAX_FRAGMENTS = 1024;
  private static final FrameEncoder ENCODER = new FrameEncoder();

  /** What the session hears from its WebSocket. */
  interface Listener {
    void text(String text);

    void binary(Buffer data);

    /** A message beyond the size limit arrived; the socket is closing with 1009. */
    void tooLarge();

    /** The connection closed, whoever closed it. Called once. */
    void closed();
  }

  private final Channel channel;
  private final ContextInternal context;
  /** Vert.x's HTTP server metrics and this connection's metric, told when it closes (or null). */
  private final HttpServerMetrics<?, ?, ?> metrics;
  private final Object metric;
  /** Null unless permessage-deflate was agreed in the handshake. */
  private final Deflation deflation;
  private Listener listener;
  private Runnable drainHandler;
  private volatile boolean closeSent;
  /** Inside channelRead .. channelReadComplete of this socket: flushes wait for the end of the read. */
  private boolean reading;
  private boolean flushPending;
  private ScheduledFuture<?> closingTimer;
  /** This handler's place in the pipeline (its allocator encodes the frames). */
  private ChannelHandlerContext self;
  /** Largest message, in bytes: beyond, the connection is closed with 1009. */
  private final int maxMessage;
  /** The fragments of a message being received, joined; null between messages. */
  private CompositeByteBuf fragments;
  private boolean fragmentsText;

  /**
   * {@code metrics} (may be null) hear of the close of the connection, as Vert.x's own connections
   * tell them. The remote address they are given is read at the close, from the channel, rather than
   * kept (with a closure) for the connection's whole life. {@code deflation} is null unless the
   * handshake agreed on permessage-deflate.
   */
  RawWebSocket(Channel channel, ContextInternal context, int maxMessage, HttpServerMetrics<?, ?, ?> metrics,
      Object metric, Deflation deflation) {
    this.channel = channel;
    this.maxMessage = maxMessage;
    this.context = context;
    this.metrics = metrics;
    this.metric = metric;
    this.deflation = deflation;
  }


  /** Starts delivering inbound events to {@code listener}. */
  void bind(Listener listener) {
    onLoop(() -> {
      this.listener = listener;
      if (channel.isActive()) {
        channel.config().setAutoRead(true);
      } else {
        context.emit(null, v -> listener.closed()); // closed while the session was on its way
      }
    });
  }

  boolean isClosed() {
    return closeSent || !channel.isActive();
  }

  /** True while more is written than the connection drains (Netty's high water mark). */
  boolean writeQueueFull() {
    return !channel.isWritable();
  }

  /** Runs {@code handler} once, when the connection drains below the low water mark. */
  void drainHandler(Runnable handler) {
    onLoop(() -> drainHandler = handler);
  }

  /**
   * Writes a text message. The UTF-8 bytes come from {@link TextBytes}, shared with the last use of
   * the same string on this thread: a broadcast logs one encoded packet for recovery and writes it to
   * every member from one event loop, so the bytes are made once per packet and node.
   */
  void writeText(String text) {
    byte[] utf8 = TextBytes.utf8(text);
    byte[] deflated = deflation == null ? null : deflation.text(utf8);
    writeMessage(true, deflated == null ? utf8 : deflated, deflated != null);
  }

  void writeBinary(Buffer data) {
    byte[] bytes = data.getBytes();
    byte[] deflated = deflation == null ? null : deflation.binary(bytes);
    writeMessage(false, deflated == null ? bytes : deflated, deflated != null);
  }

  /**
   * One message in frames of at most {@link #MAX_FRAME} bytes. A compressed message has RSV1 on its
   * first frame only (RFC 7692); the payload is shared, so it is wrapped, never copied or changed.
   */
  private void writeMessage(boolean text, byte[] payload, boolean deflated) {
    int rsv = deflated ? WebSocketExtension.RSV1 : 0;
    if (payload.length <= MAX_FRAME) {
      var content = Unpooled.wrappedBuffer(payload);
      write(text ? new TextWebSocketFrame(true, rsv, content) : new BinaryWebSocketFrame(true, rsv, content));
      return;
    }
    for (int offset = 0; offset < payload.length; offset += MAX_FRAME) {
      int length = Math.min(MAX_FRAME, payload.length - offset);
      boolean fin = offset + length == payload.length;
      var content = Unpooled.wrappedBuffer(payload, offset, length);
      write(offset > 0 ? new ContinuationWebSocketFrame(fin, 0, content)
          : text ? new TextWebSocketFrame(fin, rsv, content) : new BinaryWebSocketFrame(fin, rsv, content));
    }
  }

  /** Normal closure (1000). */
  void close() {
    close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), null);
  }

  /**
   * Sends a close frame after everything written before it, then closes the connection when the
   * client answers, or after {@link #CLOSING_TIMEOUT_MS}.
   */
  void close(int code, String reason) {
    onLoop(() -> {
      if (closeSent || !channel.isActive()) {
        return;
      }
      closeSent = true;
      writeFrame(new CloseWebSocketFrame(code, reason), channel.voidPromise());
      channel.flush();
      // A socket closed before any session bound it (an upgrade refused) reads too: the answer to
      // this close frame ends the connection at once instead of at the timeout.
      channel.config().setAutoRead(true);
      closingTimer = channel.eventLoop().schedule((Runnable) channel::close, CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    });
  }

  /** Sends what was written since the last flush. */
  void flush() {
    onLoop(() -> {
      if (reading) {
        flushPending = true;
      } else {
        channel.flush();
      }
    });
  }

  private void write(WebSocketFrame frame) {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(frame));
      return;
    }
    if (closeSent) {
      frame.release();
      return;
    }
    writeFrame(frame, channel.voidPromise());
  }

  /**
   * Encodes the frame (and releases it) and writes its bytes, with {@code promise} on the last
   * write. On the event loop. The encoder is one for all connections (it keeps no state), called
   * here rather than put in every pipeline: a handler and its context per connection for nothing.
   */
  private ChannelFuture writeFrame(WebSocketFrame frame, ChannelPromise promise) {
    List<Object> out = new ArrayList<>(2);
    try {
      ENCODER.encodeTo(self, frame, out);
    } finally {
      frame.release();
    }
    for (int i = 0; i < out.size() - 1; i++) {
      channel.write(out.get(i), channel.voidPromise());
    }
    return channel.write(out.get(out.size() - 1), promise);
  }

  /** Netty's RFC 6455 frame encoder, unmasked, as a function. */
  private static final class FrameEncoder extends WebSocket13FrameEncoder {
    FrameEncoder() {
      super(false);
    }

    void encodeTo(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
      try {
        super.encode(ctx, frame, out);
      } catch (Exception e) {
        throw new IllegalStateException("WebSocket frame not encoded", e);
      }
    }
  }

  private void onLoop(Runnable action) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      action.run();
    } else {
      loop.execute(action);
    }
  }

  // ---- Netty events, on the channel's event loop ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    self = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    try {
      if (msg instanceof ContinuationWebSocketFrame frame) {
        continueMessage(ctx, frame);
      } else if ((msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)
          && !((WebSocketFrame) msg).isFinalFragment()) {
        startMessage(ctx, (WebSocketFrame) msg);
      } else if (msg instanceof TextWebSocketFrame frame) {
        deliver(frame.content(), true);
      } else if (msg instanceof BinaryWebSocketFrame frame) {
        deliver(frame.content(), false);
      } else if (msg instanceof PingWebSocketFrame frame) {
        writeFrame(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
        ctx.flush();
      } else if (msg instanceof CloseWebSocketFrame frame) {
        if (closeSent) {
          ctx.close();
        } else {
          closeSent = true;
          writeFrame(frame.retainedDuplicate(), channel.newPromise()).addListener(ChannelFutureListener.CLOSE);
          ctx.flush();
        }
      }
      // Pongs need no answer.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void deliver(ByteBuf content, boolean text) {
    if (listener == null || closeSent) {
      return;
    }
    if (text) {
      context.emit(content.toString(StandardCharsets.UTF_8), listener::text);
    } else {
      context.emit(Buffer.buffer(ByteBufUtil.getBytes(content)), listener::binary);
    }
  }

  // Fragmented messages are joined here, as Netty's WebSocketFrameAggregator would: that handler
  // and its pipeline context were two more objects per connection, for what few clients send.

  private void startMessage(ChannelHandlerContext ctx, WebSocketFrame first) {
    if (fragments != null) {
      // A new message before the last one ended: a protocol violation the aggregator refused too.
      dropFragments();
      ctx.close();
      return;
    }
    fragments = ctx.alloc().compositeBuffer(MAX_FRAGMENTS);
    fragmentsText = first instanceof TextWebSocketFrame;
    fragments.addComponent(true, first.content().retain());
  }

  private void continueMessage(ChannelHandlerContext ctx, ContinuationWebSocketFrame frame) {
    if (fragments == null) {
      return; // no message begun, or the rest of one already refused: dropped
    }
    if (fragments.readableBytes() > maxMessage - frame.content().readableBytes()) {
      dropFragments();
      exceptionCaught(ctx, new TooLongFrameException("content length exceeded " + maxMessage + " bytes."));
      return;
    }
    fragments.addComponent(true, frame.content().retain());
    if (frame.isFinalFragment()) {
      ByteBuf message = fragments;
      fragments = null;
      try {
        deliver(message, fragmentsText);
      } finally {
        message.release();
      }
    }
  }

  private void dropFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Runnable handler = drainHandler;
    if (handler != null && ctx.channel().isWritable()) {
      drainHandler = null;
      context.emit(null, v -> handler.run());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    dropFragments();
    if (closingTimer != null) {
      closingTimer.cancel(false);
    }
    if (metrics != null) {
      reportClosed();
    }
    if (listener != null) {
      context.emit(null, v -> listener.closed());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void reportClosed() {
    SocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress inet
        ? SocketAddress.inetSocketAddress(inet) : null;
    ((HttpServerMetrics) metrics).disconnected(metric, remote);
  }

  /** Vert.x's server shutdown asks each connection to close: a WebSocket says it is going away. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ShutdownEvent) {
      close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "server shutting down");
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  /**
   * A compressed message that is no valid deflate data is a bad payload (1007); otherwise the inflater
   * ran out of room: the message inflates beyond the largest allowed (1009), a deflate bomb perhaps.
   */
  private static WebSocketCloseStatus inflateFailure(DecompressionException e) {
    return e.getCause() instanceof DataFormatException ? WebSocketCloseStatus.INVALID_PAYLOAD_DATA
        : WebSocketCloseStatus.MESSAGE_TOO_BIG;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The decoder does not close by itself on a protocol violation: the close status is chosen here.
    WebSocketCloseStatus status = cause instanceof TooLongFrameException ? WebSocketCloseStatus.MESSAGE_TOO_BIG
        : cause instanceof CorruptedWebSocketFrameException corrupt ? corrupt.closeStatus()
        : cause instanceof DecompressionException inflating ? inflateFailure(inflating) : null;
    LOG.debug("engine.websocket_error status={} error=\"{}\"", status, cause.getMessage());
    if (status == null) {
      ctx.close();
      return;
    }
    close(status.code(), null);
    if (status.equals(WebSocketCloseStatus.MESSAGE_TOO_BIG) && listener != null) {
      context.emit(null, v -> listener.tooLarge());
    }
  }
}
