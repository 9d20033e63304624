package io.switchboard.loadtest.protocol;

import java.net.URI;

/**
 * A gateway address: where to open {@code /socket.io/?EIO=4&transport=websocket}.
 *
 * @param host the host name or address
 * @param port the TCP port
 * @param ssl whether to use TLS (https or wss)
 * @param path the Engine.IO path, normally {@code /socket.io/}
 */
public record Endpoint(String host, int port, boolean ssl, String path) {

  /** Parses {@code http://host:port}, {@code ws://host:port[/path/]}, https or wss. */
  public static Endpoint parse(String url) {
    URI uri = URI.create(url.trim());
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    boolean ssl = switch (scheme) {
      case "http", "ws" -> false;
      case "https", "wss" -> true;
      default -> throw new IllegalArgumentException("url: expected http, https, ws or wss, got '" + url + "'");
    };
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("url: no host in '" + url + "'");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") ? "/socket.io/" : uri.getPath();
    if (!path.endsWith("/")) {
      path = path + "/";
    }
    return new Endpoint(uri.getHost(), port, ssl, path);
  }

  /** The request URI of a direct WebSocket connection (no polling first). */
  public String webSocketUri() {
    return path + "?EIO=4&transport=websocket";
  }

  /** The base HTTP URL, for endpoints beside Socket.IO such as {@code /socket-metrics}. */
  public String httpBase() {
    return (ssl ? "https://" : "http://") + host + ":" + port;
  }

  @Override
  public String toString() {
    return httpBase() + path;
  }
}
