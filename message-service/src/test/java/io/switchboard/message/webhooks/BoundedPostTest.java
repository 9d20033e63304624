package io.switchboard.message.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The POST both dispatchers send, to a real HTTP server started here: what comes back, and what the
 * server sees of the bounds (its connection closed by a timeout or an oversize answer).
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A bounded POST")
class BoundedPostTest {
  /** The timeout of the test that waits for it: long enough for a warm request to reach the server. */
  private static final long TIMEOUT_MS = 1000;
  /** The timeout of the others: a cold JVM's first request on a busy machine is not one to time out. */
  private static final long PATIENT_MS = 10_000;
  private static final int HUGE_BYTES = 1024 * 1024;

  private HttpServer server;
  /** Each request the server got, as it got it. */
  private final List<Got> got = new CopyOnWriteArrayList<>();
  /** Completed when the connection of a request to /never or /huge closes. */
  private final Promise<Void> closed = Promise.promise();
  private BoundedPost post;

  record Got(String uri, MultiMap headers, String body, int remotePort) {}

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = await(vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    if (post != null) {
      await(post.close());
    }
    await(server.close());
  }

  /** /answer: 202 with Retry-After; /never: no answer ever; /huge: 200 with 1 MB. */
  private void receive(HttpServerRequest request) {
    if (!request.path().equals("/answer")) {
      request.connection().closeHandler(v -> closed.tryComplete());
    }
    request.body().onSuccess(body -> {
      got.add(new Got(request.uri(), request.headers(), body.toString(), request.remoteAddress().port()));
      switch (request.path()) {
        case "/answer" -> request.response().setStatusCode(202).putHeader("Retry-After", "7").end("thanks");
        case "/huge" -> request.response().end(Buffer.buffer(new byte[HUGE_BYTES]));
        default -> { }
      }
    });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  private static MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Switchboard-Event", "test");
  }

  /** A POST of {} to the server's path. */
  private Future<BoundedPost.Answer> send(String path) {
    return post.send(url(path), BoundedPostTest::headers, Buffer.buffer("{}"));
  }

  @Test
  @DisplayName("sends the headers and body to the URL's path and query, and gives back the status and headers")
  void answer(Vertx vertx) throws Exception {
    post = new BoundedPost(vertx, new AddressGuard(vertx, true), PATIENT_MS, 1);
    BoundedPost.Answer answer = await(post.send(url("/answer?x=1"), BoundedPostTest::headers, Buffer.buffer("{\"a\":1}")));
    assertEquals(202, answer.status());
    assertEquals("7", answer.headers().get("Retry-After"));
    assertEquals(1, got.size());
    assertEquals("/answer?x=1", got.get(0).uri());
    assertEquals("test", got.get(0).headers().get("Switchboard-Event"));
    assertEquals("{\"a\":1}", got.get(0).body());
  }

  @Test
  @DisplayName("a server that never answers: a timeout failure, and the request is reset (its connection closed)")
  void timeout(Vertx vertx) throws Exception {
    // Warm (classes loaded, a connection made), so that the request surely reaches the server in time.
    post = new BoundedPost(vertx, new AddressGuard(vertx, true), PATIENT_MS, 1);
    assertEquals(202, await(send("/answer")).status());
    await(post.close());
    post = new BoundedPost(vertx, new AddressGuard(vertx, true), TIMEOUT_MS, 1);
    long start = System.nanoTime();
    Throwable failure = failure(send("/never"));
    assertEquals("timeout after " + TIMEOUT_MS + " ms", failure.getMessage());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), "not before the timeout");
    assertEquals("/never", got.get(1).uri(), "the request reached the server");
    await(closed.future());
  }

  @Test
  @DisplayName("an answer past the bound: its status, and the connection reset (the next request takes a new one)")
  void oversize(Vertx vertx) throws Exception {
    post = new BoundedPost(vertx, new AddressGuard(vertx, true), PATIENT_MS, 1);
    assertEquals(200, await(send("/huge")).status());
    await(closed.future());
    assertEquals(202, await(send("/answer")).status());
    assertNotEquals(got.get(0).remotePort(), got.get(1).remotePort());
  }

  @Test
  @DisplayName("an answer within the bound: its connection serves the next request")
  void withinTheBound(Vertx vertx) throws Exception {
    post = new BoundedPost(vertx, new AddressGuard(vertx, true), PATIENT_MS, 1);
    assertEquals(202, await(send("/answer")).status());
    assertEquals(202, await(send("/answer")).status());
    assertEquals(got.get(0).remotePort(), got.get(1).remotePort());
  }

  @Test
  @DisplayName("an address the guard refuses: VALIDATION_ERROR, and no request")
  void refused(Vertx vertx) throws Exception {
    post = new BoundedPost(vertx, new AddressGuard(vertx, false), PATIENT_MS, 1);
    Throwable failure = failure(send("/answer"));
    assertEquals(ErrorCode.VALIDATION_ERROR, ServiceException.codeOf(failure));
    assertEquals(List.of(), got);
  }

  /** What a send failed with (never an answer). */
  private static Throwable failure(Future<BoundedPost.Answer> sent) throws Exception {
    return await(sent.map(answer -> (Throwable) new AssertionError("answered " + answer.status())).recover(Future::succeededFuture));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
