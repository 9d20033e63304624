package io.switchboard.gateway.admission;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Decides each CONNECT to the chat namespace, cheapest check first: not while the node drains, not
 * from a throttled address ({@link Admission#beforeAuth}); then the token of the auth payload; then
 * the tenant's limit on this node ({@link Admission#afterAuth}); last the user's device limit across
 * the cluster ({@link DeviceLimit}). A refusal is counted, fed to the throttle and answered with
 * CONNECT_ERROR {@code {message, data: {code}}} (docs/protocol.md section 2).
 */
public final class ConnectAdmission {
  private final Admission admission;
  private final TokenVerifier tokens;
  private final DeviceLimit devices;
  private final GatewayMetrics metrics;

  public ConnectAdmission(Admission admission, TokenVerifier tokens, DeviceLimit devices, GatewayMetrics metrics) {
    this.admission = admission;
    this.tokens = tokens;
    this.devices = devices;
    this.metrics = metrics;
  }

  /** Who connects, or a failure with a {@link ConnectRefusedException} to answer the client with. */
  public Future<Principal> admit(Socket socket) {
    ErrorCode early = admission.beforeAuth(socket.handshake());
    Future<Principal> verified = early != null
        ? Future.failedFuture(ServiceException.of(early, refusalMessage(early)))
        : tokens.verify(socket.handshake().auth().getValue("token")).compose(principal -> {
          ErrorCode late = admission.afterAuth(principal.sender());
          return late == null ? Future.succeededFuture(principal)
              : Future.failedFuture(ServiceException.of(late, refusalMessage(late)));
        }).compose(principal -> devices.admit(socket.id(), principal.sender()).map(principal));
    return verified.recover(failure -> {
      ErrorCode code = ServiceException.codeOf(failure);
      metrics.refused(code);
      admission.refused(socket.handshake(), socket.id(), code);
      return Future.failedFuture(new ConnectRefusedException(refusalMessage(code),
          new JsonObject().put("code", code.name())));
    });
  }

  private static String refusalMessage(ErrorCode code) {
    return switch (code) {
      case TOKEN_EXPIRED -> "token expired";
      case SERVER_DRAINING -> "server draining, connect again";
      case CONNECT_THROTTLED -> "too many failed connects from this address, retry later";
      case TENANT_CONNECTION_LIMIT -> "too many connections for this tenant";
      case USER_CONNECTION_LIMIT -> "too many devices connected for this user";
      default -> "authentication failed";
    };
  }
}
