package io.switchboard.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.gateway.GatewayConfig.HttpTimeouts;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines for reading the requests of the gateway's HTTP/1.1 connections, against clients that hold
 * connections by sending slowly (slow-loris): a request's head must arrive whole within the header
 * timeout of its first byte (of the connection's opening, for the first request), its body within the
 * body timeout of its head; otherwise the connection is closed. Vert.x has an idle timeout (no byte
 * either way for a while, set by {@link #applyTo}) but no such deadline, and a byte every few seconds
 * keeps a connection from ever being idle.
 *
 * <p>The time a response takes is not bounded here: a long-poll is held until there is something to
 * send (at most a ping interval). Two Netty handlers per connection share one state: one before the
 * HTTP decoder sees each request's first bytes, one after it sees the decoded head and the end of
 * the body. A timer is armed at the connection's opening and then only when a read ends with a
 * request incomplete, which the official clients' requests, sent in one piece, never do. A WebSocket
 * upgrade (status 101) removes both handlers: the session's heartbeat bounds a WebSocket.
 */
public final class RequestDeadlines implements Handler<HttpConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

  private final HttpTimeouts timeouts;
  private final Consumer<String> onTimeout;

  /** {@code onTimeout} is told "header" or "body" for each connection closed by a deadline. */
  public RequestDeadlines(HttpTimeouts timeouts, Consumer<String> onTimeout) {
    this.timeouts = timeouts;
    this.onTimeout = onTimeout;
  }

  /**
   * Sets the idle timeout, and turns HTTP/2 cleartext off: the gateway has no use for it (WebSockets
   * and the clients' polling are HTTP/1.1), and with it on Vert.x sets a connection up only once its
   * first bytes have arrived, so a connection that sends nothing would escape the header deadline.
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options.setIdleTimeout((int) timeouts.idleMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  /** Installs the deadlines on a new connection (the HTTP server's connection handler). */
  @Override
  public void handle(HttpConnection connection) {
    if ((timeouts.headerMs() <= 0 && timeouts.bodyMs() <= 0) || !(connection instanceof Http1xServerConnection http1)) {
      return;
    }
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
      return;
    }
    Deadline deadline = new Deadline();
    pipeline.addBefore("httpDecoder", "requestStart", deadline.start);
    // After the encoder: inbound it sees decoded requests, outbound responses not encoded yet.
    pipeline.addAfter("httpEncoder", "requestDeadline", deadline);
    deadline.begin(pipeline.context(deadline));
  }

  private enum Phase { IDLE, HEAD, BODY }

  /** The state of one connection, used on its event loop only; inbound after the decoder. */
  private final class Deadline extends ChannelDuplexHandler {
    /** Inbound before the decoder: the first bytes of a request. */
    final ChannelInboundHandlerAdapter start = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.IDLE) {
          enter(Phase.HEAD);
        }
        ctx.fireChannelRead(msg);
      }
    };
    private ChannelHandlerContext context;
    private Phase phase = Phase.IDLE;
    private long since;
    private ScheduledFuture<?> timer;

    void begin(ChannelHandlerContext ctx) {
      context = ctx;
      enter(Phase.HEAD);
      arm();
    }

    private void enter(Phase next) {
      cancel();
      phase = next;
      since = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        enter(msg instanceof LastHttpContent ? Phase.IDLE : Phase.BODY);
      } else if (msg instanceof LastHttpContent) {
        enter(Phase.IDLE);
      } else if (!(msg instanceof HttpContent)) {
        remove(ctx);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (phase != Phase.IDLE && timer == null) {
        arm();
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      boolean upgraded = msg instanceof HttpResponse response
          && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
      ctx.write(msg, promise);
      if (upgraded) {
        remove(ctx);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      cancel();
    }

    private void arm() {
      long limitMs = phase == Phase.HEAD ? timeouts.headerMs() : timeouts.bodyMs();
      if (limitMs <= 0) {
        return;
      }
      Phase armed = phase;
      long leftMs = limitMs - (System.nanoTime() - since) / 1_000_000;
      timer = context.executor().schedule(() -> expire(armed), Math.max(0, leftMs), TimeUnit.MILLISECONDS);
    }

    private void expire(Phase armed) {
      timer = null;
      if (phase != armed || !context.channel().isActive()) {
        return;
      }
      String kind = armed == Phase.HEAD ? "header" : "body";
      LOG.debug("http.request_timeout kind={} remote={}", kind, context.channel().remoteAddress());
      onTimeout.accept(kind);
      context.channel().close();
    }

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    private void remove(ChannelHandlerContext ctx) {
      cancel();
      ChannelPipeline pipeline = ctx.pipeline();
      if (pipeline.get("requestStart") != null) {
        pipeline.remove("requestStart");
      }
      if (pipeline.get("requestDeadline") != null) {
        pipeline.remove("requestDeadline");
      }
    }
  }
}
