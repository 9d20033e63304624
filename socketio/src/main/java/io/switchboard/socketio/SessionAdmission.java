package io.switchboard.socketio;

import io.vertx.core.json.JsonObject;

/**
 * Decides at each Engine.IO handshake whether a new session may open, before anything is kept for
 * it. Each admitted session is released exactly once, when it closes, whatever closes it (the client,
 * a timeout, the server); an upgrade to WebSocket is the same session. Refused handshakes are never
 * released.
 *
 * <p>Called on any event loop, concurrently, on the hot path of connection storms: implementations
 * are thread-safe, cheap and never block.
 */
public interface SessionAdmission {

  /** Admits every session. */
  SessionAdmission OPEN = new SessionAdmission() {
    @Override
    public Refusal admit(String address) {
      return null;
    }

    @Override
    public void release(String address) {}
  };

  /** Null admits a session from {@code address} (the remote IP; null when unknown); otherwise why not. */
  Refusal admit(String address);

  /** A session that {@link #admit} admitted for {@code address} has closed. */
  void release(String address);

  /**
   * The HTTP answer to a refused handshake: {@code status} with the Engine.IO error body
   * {@code {"code":status,"message":message,"data":{"code":reason}}} ({@code data} only with a reason).
   * The official clients report it as a connect error and retry with backoff.
   */
  record Refusal(int status, String message, String reason) {
    public String body() {
      JsonObject body = new JsonObject().put("code", status).put("message", message);
      if (reason != null) {
        body.put("data", new JsonObject().put("code", reason));
      }
      return body.encode();
    }
  }
}
