package io.switchboard.common.chat;

/**
 * A user's Web Push subscription (docs/protocol.md, "Web Push"): {@code action} {@code key} (the VAPID
 * public key only), {@code register} (endpoint, p256dh, auth: a browser's
 * {@code PushSubscription.toJSON()}) or {@code unregister} (endpoint).
 */
public record PushSubscriptionRequest(Sender user, String action, String endpoint, String p256dh, String auth) {
  public static final String KEY = "key";
  public static final String REGISTER = "register";
  public static final String UNREGISTER = "unregister";
}
