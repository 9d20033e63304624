package io.switchboard.gateway.admission;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per socket and per user, by rate class. A socket's own buckets bound one client;
 * the user's buckets bound all of that user's sockets on this node together. A socket that keeps
 * hitting the limit ({@code strikes} times within a window) is an abuser and is cut off.
 *
 * <p>Per-socket state lives in {@link SocketLimits} on the socket's event loop; per-user buckets
 * are shared by the user's sockets and synchronized.
 */
public final class RateLimiter {
  private static final long STRIKE_WINDOW_NANOS = 10_000_000_000L;
  private static final int RATE_CLASSES = RateClass.values().length;

  private final Settings settings;
  private final Map<UserKey, UserLimits> users = new ConcurrentHashMap<>();

  public RateLimiter(Settings settings) {
    this.settings = settings;
  }

  /** The limits, read once from the configuration. */
  public record Settings(Map<RateClass, TokenBucket.Rate> socketRates, TokenBucket.Rate userMessages, int strikes) {
    public static Settings from(Config config) {
      Map<RateClass, TokenBucket.Rate> rates = new EnumMap<>(RateClass.class);
      rates.put(RateClass.MESSAGES, rate(config, ConfigKey.RATE_MESSAGES));
      rates.put(RateClass.TYPING, rate(config, ConfigKey.RATE_TYPING));
      rates.put(RateClass.JOINS, rate(config, ConfigKey.RATE_JOINS));
      rates.put(RateClass.READS, rate(config, ConfigKey.RATE_READS));
      rates.put(RateClass.CALLS, rate(config, ConfigKey.RATE_CALLS));
      rates.put(RateClass.OTHER, rate(config, ConfigKey.RATE_READS));
      return new Settings(Map.copyOf(rates), rate(config, ConfigKey.RATE_USER_MESSAGES), config.integer(ConfigKey.RATE_STRIKES));
    }

    private static TokenBucket.Rate rate(Config config, ConfigKey key) {
      return TokenBucket.Rate.parse(key.env(), config.string(key));
    }
  }

  /**
   * A user of a tenant. Its fields are the Sender's own strings: a key built by concatenation was
   * a string of its own per connection.
   */
  private record UserKey(String tenant, String userId) {}

  /** The limits of a new socket of this user. */
  public SocketLimits open(String tenant, String userId) {
    UserLimits user = users.compute(new UserKey(tenant, userId), (k, current) -> {
      UserLimits u = current != null ? current : new UserLimits(k);
      u.sockets++;
      return u;
    });
    return new SocketLimits(user);
  }

  /** Forgets a closed socket (and its user once no socket of theirs is left on this node). */
  public void close(SocketLimits limits) {
    users.computeIfPresent(limits.user.key, (k, user) -> --user.sockets <= 0 ? null : user);
  }

  private static final class UserLimits {
    final UserKey key;
    /** Changed only inside the map's compute for this user, which serializes it. */
    int sockets;
    /** Made at the user's first message (guarded by this): most sockets of a node are idle. */
    private TokenBucket messages;

    UserLimits(UserKey key) {
      this.key = key;
    }

    synchronized TokenBucket messages(TokenBucket.Rate rate, long now) {
      if (messages == null) {
        messages = new TokenBucket(rate, now);
      }
      return messages;
    }
  }

  /** What a request may do: go ahead, wait {@code retryAfterMs}, or cost the socket its connection. */
  public record Verdict(boolean allowed, long retryAfterMs, boolean abusive) {
    static final Verdict ALLOWED = new Verdict(true, 0, false);
  }

  /** One socket's buckets; used on the socket's event loop only. */
  public final class SocketLimits {
    private final UserLimits user;
    /** By {@link RateClass} ordinal, each made at first use; the array too (idle sockets use none). */
    private TokenBucket[] buckets;
    private int strikes;
    private long windowStart;
    private long lastNotice = Long.MIN_VALUE / 2;

    private SocketLimits(UserLimits user) {
      this.user = user;
    }

    public Verdict check(RateClass type) {
      long now = System.nanoTime();
      if (buckets == null) {
        buckets = new TokenBucket[RATE_CLASSES];
      }
      TokenBucket bucket = buckets[type.ordinal()];
      if (bucket == null) {
        bucket = new TokenBucket(settings.socketRates().get(type), now);
        buckets[type.ordinal()] = bucket;
      }
      if (!bucket.tryTake(now)) {
        return refuse(bucket.retryAfterMs(now), now);
      }
      if (type == RateClass.MESSAGES) {
        TokenBucket messages = user.messages(settings.userMessages(), now);
        synchronized (messages) {
          if (!messages.tryTake(now)) {
            return refuse(messages.retryAfterMs(now), now);
          }
        }
      }
      return Verdict.ALLOWED;
    }

    /**
     * Whether to tell the client about a refusal that has no ack to answer: at most once a second,
     * so that a flood of fire-and-forget events does not turn into a flood of replies.
     */
    public boolean shouldNotify() {
      long now = System.nanoTime();
      if (now - lastNotice < 1_000_000_000L) {
        return false;
      }
      lastNotice = now;
      return true;
    }

    private Verdict refuse(long retryAfterMs, long now) {
      if (now - windowStart > STRIKE_WINDOW_NANOS) {
        windowStart = now;
        strikes = 0;
      }
      strikes++;
      return new Verdict(false, Math.max(1, retryAfterMs), strikes >= settings.strikes());
    }
  }
}
