package io.switchboard.message.webhooks;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.PushSubscriptionRequest;
import io.switchboard.common.chat.PushSubscriptionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigInteger;
import java.util.Base64;
import java.util.UUID;

/**
 * A user's Web Push subscriptions (docs/protocol.md, "Web Push"; V23__push_subscriptions.sql), for
 * the gateways on {@code chat.push.subscription}: the VAPID public key, register, unregister. With
 * push off every action answers {@code UNAVAILABLE}, so no subscription is stored that nothing would use.
 */
public final class PushSubscriptions {
  /** Most subscriptions of one user (browsers, profiles, devices); registering one more drops the oldest. */
  static final int MAX_PER_USER = 10;
  private static final String UPSERT =
      "INSERT INTO push_subscriptions (id, tenant_id, user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5, $6)"
          + " ON CONFLICT (tenant_id, endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh,"
          + " auth = EXCLUDED.auth, created_at = now()";
  private static final String KEEP_NEWEST =
      "DELETE FROM push_subscriptions WHERE id IN (SELECT id FROM push_subscriptions WHERE tenant_id = $1 AND user_id = $2"
          + " ORDER BY created_at DESC, id OFFSET $3)";
  private static final String DELETE =
      "DELETE FROM push_subscriptions WHERE tenant_id = $1 AND user_id = $2 AND endpoint = $3";
  /** P-256 (secp256r1): the field prime and the curve's b (a = -3), to check a browser's point is on the curve. */
  private static final BigInteger P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private final Vertx vertx;
  private final Pool pool;
  private final PushSettings settings;

  public PushSubscriptions(Vertx vertx, Pool pool, PushSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.settings = settings;
  }

  public Future<MessageConsumer<?>> register() {
    MessageConsumer<PushSubscriptionRequest> consumer = vertx.eventBus().consumer(Addresses.PUSH_SUBSCRIPTION, this::answer);
    return consumer.completion().map(v -> consumer);
  }

  private void answer(Message<PushSubscriptionRequest> msg) {
    Future<PushSubscriptionState> result;
    try {
      result = handle(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(msg::reply, failure -> msg.fail(ServiceException.codeOf(failure).busCode(),
        failure.getMessage() == null ? failure.toString() : failure.getMessage()));
  }

  public Future<PushSubscriptionState> handle(PushSubscriptionRequest request) {
    if (!settings.enabled()) {
      throw ServiceException.of(ErrorCode.UNAVAILABLE, "Web Push is off on this server (no VAPID keys)");
    }
    String tenant = request.user().tenant();
    String user = request.user().userId();
    return switch (request.action()) {
      case PushSubscriptionRequest.KEY -> Future.succeededFuture(new PushSubscriptionState(settings.publicKey(), false));
      case PushSubscriptionRequest.REGISTER -> {
        AddressGuard.parse(request.endpoint());
        checkKeys(request.p256dh(), request.auth());
        yield pool.withTransaction(conn -> conn.preparedQuery(UPSERT)
                .execute(Tuple.of(UUID.randomUUID(), tenant, user, request.endpoint(), request.p256dh(), request.auth()))
                .compose(v -> conn.preparedQuery(KEEP_NEWEST).execute(Tuple.of(tenant, user, MAX_PER_USER))))
            .map(v -> new PushSubscriptionState(settings.publicKey(), false));
      }
      case PushSubscriptionRequest.UNREGISTER -> pool.preparedQuery(DELETE).execute(Tuple.of(tenant, user, request.endpoint()))
          .map(rows -> new PushSubscriptionState(settings.publicKey(), rows.rowCount() > 0));
      default -> throw ServiceException.of(ErrorCode.VALIDATION_ERROR, "action: key, register or unregister");
    };
  }

  /** p256dh an uncompressed P-256 point on the curve, auth 16 bytes (RFC 8291), both base64url. */
  static void checkKeys(String p256dh, String auth) {
    byte[] point = decode(p256dh, "keys.p256dh");
    if (point.length != 65 || point[0] != 4) {
      throw invalid("keys.p256dh: an uncompressed P-256 point (65 bytes)");
    }
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(point, 33, 65));
    BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0 || !y.pow(2).mod(P).equals(right)) {
      throw invalid("keys.p256dh: not a point of P-256");
    }
    if (decode(auth, "keys.auth").length != 16) {
      throw invalid("keys.auth: 16 bytes");
    }
  }

  private static byte[] decode(String value, String field) {
    try {
      return Base64.getUrlDecoder().decode(value == null ? "" : value.replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw invalid(field + ": base64url");
    }
  }

  private static ServiceException invalid(String message) {
    return ServiceException.of(ErrorCode.VALIDATION_ERROR, message);
  }
}
