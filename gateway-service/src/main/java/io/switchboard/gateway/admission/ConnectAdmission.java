package io.switchboard.gateway.admission;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Identities;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Decides each CONNECT to the chat namespace, cheapest check first: not while the node drains, not
 * from a throttled address ({@link Admission#beforeAuth}); then the token of the auth payload; then
 * the tenant's limit on this node ({@link Admission#afterAuth}); last the user's device limit across
 * the cluster ({@link DeviceLimit}). A refusal is counted, fed to the throttle and answered with
 * CONNECT_ERROR {@code {message, data: {code}}} (docs/protocol.md section 2).
 *
 * <p>While the gateway warms up, before it listens, its own warm-up sockets connect with a one-off
 * pass instead of a token ({@link #openWarmup}), as users of the warm-up tenant, which no token can
 * name ({@link io.switchboard.common.chat.Identities}); the pass is forgotten when the warm-up ends.
 */
public final class ConnectAdmission {
  /** The tenant of the warm-up's sockets: invalid in a token, so no client can reach its rooms. */
  public static final String WARMUP_TENANT = "_warmup";
  private static final long WARMUP_LIFETIME_SECONDS = 600;

  private final Admission admission;
  private final TokenVerifier tokens;
  private final DeviceLimit devices;
  private final GatewayMetrics metrics;
  private volatile byte[] warmupPass;

  public ConnectAdmission(Admission admission, TokenVerifier tokens, DeviceLimit devices, GatewayMetrics metrics) {
    this.admission = admission;
    this.tokens = tokens;
    this.devices = devices;
    this.metrics = metrics;
  }

  /** A pass that admits {@code {warmup: pass, user}} as a user of {@link #WARMUP_TENANT}, until {@link #closeWarmup}. */
  public String openWarmup() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String pass = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    warmupPass = pass.getBytes(StandardCharsets.US_ASCII);
    return pass;
  }

  public void closeWarmup() {
    warmupPass = null;
  }

  /** Who connects, or a failure with a {@link ConnectRefusedException} to answer the client with. */
  public Future<Principal> admit(Socket socket) {
    Principal warmup = warmupPrincipal(socket.handshake().auth());
    if (warmup != null) {
      return Future.succeededFuture(warmup);
    }
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

  /** The warm-up principal for this auth payload, or null when it carries no valid pass. */
  Principal warmupPrincipal(JsonObject auth) {
    byte[] pass = warmupPass;
    if (pass == null || !(auth.getValue("warmup") instanceof String presented)
        || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII), pass)
        || !(auth.getValue("user") instanceof String user) || Identities.userIdProblem(user) != null) {
      return null;
    }
    auth.remove("warmup");
    return new Principal(new Sender(WARMUP_TENANT, user, user), System.currentTimeMillis() / 1000 + WARMUP_LIFETIME_SECONDS,
        false);
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
