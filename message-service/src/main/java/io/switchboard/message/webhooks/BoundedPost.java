package io.switchboard.message.webhooks;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.function.Supplier;

/**
 * One POST to a URL someone else chose (a webhook endpoint, a browser's push service), bounded: sent
 * to the address the {@link AddressGuard} checked (not resolved again), no redirect followed (it could
 * lead past the guard), a deadline from the start to the response's status (past it the request is
 * reset), and only the status and headers kept: the body is read and dropped, and past
 * {@link #MAX_RESPONSE_BYTES} the connection is reset, so an endpoint that streams without end holds
 * nothing of ours for long. The webhook and Web Push dispatchers each have one.
 */
final class BoundedPost {
  /** A response body is read up to this many bytes, never kept: past it the connection is reset. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /** The response's status and headers; its body is not kept. */
  record Answer(int status, MultiMap headers) {}

  private final Vertx vertx;
  private final AddressGuard guard;
  private final long timeoutMs;
  private final HttpClient http;

  /** A client of its own, at most {@code connectionsPerServer} connections to each server, kept alive between requests. */
  BoundedPost(Vertx vertx, AddressGuard guard, long timeoutMs, int connectionsPerServer) {
    this.vertx = vertx;
    this.guard = guard;
    this.timeoutMs = timeoutMs;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeoutMs)
            .setKeepAlive(true).setTrustAll(false).setVerifyHost(true),
        new PoolOptions().setHttp1MaxSize(connectionsPerServer));
  }

  /**
   * The answer, or a failure: a URL or address refused (VALIDATION_ERROR), no connection, or
   * "timeout after N ms". The headers are made once the address is checked, just before the request
   * (a signature's timestamp is then that of the send).
   */
  Future<Answer> send(String url, Supplier<MultiMap> headers, Buffer body) {
    URI uri;
    try {
      uri = AddressGuard.parse(url);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return guard.resolve(uri).compose(address -> {
      boolean tls = uri.getScheme().equals("https");
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
          .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
          .setHost(uri.getHost()).setPort(port).setSsl(tls).setURI(path)
          .setConnectTimeout(timeoutMs).setFollowRedirects(false);
      headers.get().forEach(options::putHeader);
      Promise<Answer> answer = Promise.promise();
      HttpClientRequest[] request = new HttpClientRequest[1];
      long timeout = vertx.setTimer(timeoutMs, t -> {
        if (answer.tryFail("timeout after " + timeoutMs + " ms") && request[0] != null) {
          request[0].reset();
        }
      });
      http.request(options).compose(req -> {
        request[0] = req;
        req.exceptionHandler(e -> { });
        return req.send(body);
      }).onComplete(ar -> {
        vertx.cancelTimer(timeout);
        if (ar.failed()) {
          answer.tryFail(ar.cause());
          return;
        }
        var response = ar.result();
        // The status decides; the body is read and dropped, and an oversize one cut off.
        long[] read = {0};
        response.exceptionHandler(e -> { });
        response.handler(chunk -> {
          read[0] += chunk.length();
          if (read[0] > MAX_RESPONSE_BYTES) {
            response.request().reset();
          }
        });
        answer.tryComplete(new Answer(response.statusCode(), response.headers()));
      });
      return answer.future();
    });
  }

  /** Closes its client. */
  Future<Void> close() {
    return http.close();
  }
}
