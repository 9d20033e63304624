package io.switchboard.gateway.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static RateLimiter limiter(String messages, String userMessages, int strikes) {
    Config config = Config.defaults().with(ConfigKey.RATE_MESSAGES, messages)
        .with(ConfigKey.RATE_USER_MESSAGES, userMessages).with(ConfigKey.RATE_STRIKES, strikes);
    return new RateLimiter(RateLimiter.Settings.from(config));
  }

  @Test
  @DisplayName("a token bucket lets a burst through, then refuses with the wait until the next token, then refills")
  void bucket() {
    TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(10, 3), 0);
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertFalse(bucket.tryTake(0));
    assertEquals(100, bucket.retryAfterMs(0), "one token every 100 ms");
    assertTrue(bucket.tryTake(100_000_000L), "refilled after 100 ms");
    assertFalse(bucket.tryTake(100_000_000L));
  }

  @Test
  @DisplayName("each rate class has its own bucket: a typing flood does not stop messages")
  void classesAreSeparate() {
    RateLimiter.SocketLimits socket = limiter("2:2", "100:100", 1000).open("t", "u");
    for (int i = 0; i < 10; i++) {
      socket.check(RateClass.TYPING);
    }
    assertTrue(socket.check(RateClass.MESSAGES).allowed());
    assertTrue(socket.check(RateClass.MESSAGES).allowed());
    RateLimiter.Verdict third = socket.check(RateClass.MESSAGES);
    assertFalse(third.allowed());
    assertTrue(third.retryAfterMs() > 0);
  }

  @Test
  @DisplayName("the sockets of one user share the user's message budget")
  void userBudgetIsShared() {
    RateLimiter limiter = limiter("100:100", "3:3", 1000);
    RateLimiter.SocketLimits phone = limiter.open("t", "alice");
    RateLimiter.SocketLimits laptop = limiter.open("t", "alice");
    RateLimiter.SocketLimits bob = limiter.open("t", "bob");
    assertTrue(phone.check(RateClass.MESSAGES).allowed());
    assertTrue(laptop.check(RateClass.MESSAGES).allowed());
    assertTrue(phone.check(RateClass.MESSAGES).allowed());
    assertFalse(laptop.check(RateClass.MESSAGES).allowed(), "alice's fourth message, from either device");
    assertTrue(bob.check(RateClass.MESSAGES).allowed(), "bob has his own budget");
  }

  @Test
  @DisplayName("a socket that keeps flooding after being limited is judged abusive")
  void strikes() {
    RateLimiter.SocketLimits socket = limiter("1:1", "100:100", 3).open("t", "u");
    assertTrue(socket.check(RateClass.MESSAGES).allowed());
    assertFalse(socket.check(RateClass.MESSAGES).abusive());
    assertFalse(socket.check(RateClass.MESSAGES).abusive());
    assertTrue(socket.check(RateClass.MESSAGES).abusive());
  }

  @Test
  @DisplayName("a malformed rate names its variable")
  void badConfig() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limiter("fast", "1:1", 1));
    assertTrue(e.getMessage().contains("RATE_MESSAGES"), e.getMessage());
  }
}
