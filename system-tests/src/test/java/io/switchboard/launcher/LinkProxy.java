package io.switchboard.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * A TCP relay standing for a long link between two regions: it listens on one address and forwards
 * every connection to a target, delaying each chunk by {@code delayMs} in each direction, in order.
 * The tests use it where {@code tc qdisc ... netem} is not available (a kernel without
 * {@code sch_netem}), and to make a server that listens on 127.0.0.1 reachable from a network
 * namespace.
 */
final class LinkProxy implements AutoCloseable {
  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;

  private LinkProxy(Vertx vertx, NetServer server, NetClient client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  static LinkProxy start(Vertx vertx, String host, String targetHost, int targetPort, long delayMs) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(0));
    LinkProxy proxy = new LinkProxy(vertx, server, client);
    server.connectHandler(socket -> {
      socket.pause();
      client.connect(targetPort, targetHost).onSuccess(upstream -> {
        proxy.pipe(socket, upstream, delayMs);
        proxy.pipe(upstream, socket, delayMs);
        socket.resume();
      }).onFailure(failure -> socket.close());
    });
    Blocking.await(server.listen(), 10_000, "link proxy");
    return proxy;
  }

  /** Timers of one event loop with the same delay fire in the order they were set: chunks stay in order. */
  private void pipe(NetSocket from, NetSocket to, long delayMs) {
    from.handler((Buffer chunk) -> later(delayMs, () -> to.write(chunk)));
    from.closeHandler(v -> later(delayMs, to::close));
  }

  private void later(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
    } else {
      vertx.setTimer(delayMs, id -> action.run());
    }
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    Blocking.await(server.close().eventually(client::close), 10_000, "link proxy close");
  }
}
