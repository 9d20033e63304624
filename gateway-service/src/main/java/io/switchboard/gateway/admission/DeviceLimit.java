package io.switchboard.gateway.admission;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.AdmitRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device limit at CONNECT, cluster-wide: presence-service counts the user's connections on every
 * node ({@code presence.connection.admit}) and refuses with {@code USER_CONNECTION_LIMIT} when the
 * user has as many as allowed.
 *
 * <p>It fails <em>open</em>: when presence cannot answer within its timeout (presence-service or
 * Redis down) the connection is admitted, with a warning logged once per outage. The limit bounds
 * abuse and guards no data, so chat staying available matters more than the limit being strict.
 */
public final class DeviceLimit {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceLimit.class);

  private final EventBus bus;
  private final int perUser;
  private final DeliveryOptions options;
  private final AtomicBoolean failingOpen = new AtomicBoolean();

  /** {@code perUser} connections per user (0: no limit); presence's answer awaited up to {@code timeoutMs}. */
  public DeviceLimit(EventBus bus, int perUser, long timeoutMs) {
    this.bus = bus;
    this.perUser = perUser;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** Succeeds when {@code user} may open {@code connectionId}; fails with {@code USER_CONNECTION_LIMIT} when not. */
  public Future<Void> admit(String connectionId, Sender user) {
    if (perUser <= 0) {
      return Future.succeededFuture();
    }
    AdmitRequest request = new AdmitRequest(user.tenant(), user.userId(), connectionId, perUser);
    return bus.request(Addresses.PRESENCE_ADMIT, request, options)
        .<Void>mapEmpty()
        .onSuccess(v -> {
          if (failingOpen.compareAndSet(true, false)) {
            LOG.info("presence.admit_resumed: the device limit is enforced again");
          }
        })
        .recover(failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          if (code == ErrorCode.USER_CONNECTION_LIMIT) {
            return Future.failedFuture(failure);
          }
          if (failingOpen.compareAndSet(false, true)) {
            LOG.warn("presence.admit_failed_open code={} cause={}: connections are admitted without the device limit",
                code, failure.getMessage());
          }
          return Future.succeededFuture();
        });
  }
}
