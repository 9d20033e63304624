package io.switchboard.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.socketio.support.Await;
import io.switchboard.socketio.support.RawClient;
import io.switchboard.socketio.support.RawClient.Frames;
import io.switchboard.socketio.support.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport takes connections over from Vert.x's HTTP server below its API; the
 * server's metrics (Prometheus' open connections and requests in the gateway) must still add up.
 */
class WebSocketMetricsTest {

  /** What Vert.x reports to a metrics implementation, as the Micrometer one would receive it. */
  private static final class Recorder implements HttpServerMetrics<Object, Object, Object> {
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final List<Integer> responses = new CopyOnWriteArrayList<>();
    final AtomicInteger disconnected = new AtomicInteger();
    final Promise<Void> allClosed = Promise.promise();
    final int expected;

    Recorder(int expected) {
      this.expected = expected;
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      connected.incrementAndGet();
      return new Object();
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      if (disconnected.incrementAndGet() == expected) {
        allClosed.tryComplete();
      }
    }

    @Override
    public Object requestBegin(Object socketMetric, HttpRequest request) {
      requests.incrementAndGet();
      return new Object();
    }

    @Override
    public void responseEnd(Object requestMetric, HttpResponse response, long bytesWritten) {
      responses.add(response.statusCode());
    }
  }

  @Test
  @DisplayName("Each WebSocket upgrade ends as a 101 response in the HTTP metrics, and its close is reported once")
  void metricsAddUp() {
    Recorder recorder = new Recorder(3);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(options -> new VertxMetrics() {
          @Override
          public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions o, SocketAddress local) {
            return recorder;
          }
        })
        .build();
    try (TestServer server = TestServer.start(vertx, new SocketIoOptions(), io -> {});
        RawClient raw = new RawClient(vertx, server.port())) {
      List<Frames> sockets = List.of(open(raw), open(raw), open(raw));
      assertEquals(3, recorder.connected.get());
      assertEquals(3, recorder.requests.get());
      assertEquals(List.of(101, 101, 101), recorder.responses);
      sockets.forEach(Frames::close);
      sockets.forEach(ws -> Await.result(ws.closed()));
      Await.result(recorder.allClosed.future());
      assertEquals(3, recorder.disconnected.get());
    } finally {
      Await.result(vertx.close());
    }
  }

  private static Frames open(RawClient raw) {
    Frames ws = raw.websocket("EIO=4&transport=websocket");
    assertTrue(ws.nextText().startsWith("0{"));
    return ws;
  }
}
