package io.switchboard.common.chat;

/** The answer to a {@link PushSubscriptionRequest}: the VAPID public key, and whether a subscription was removed. */
public record PushSubscriptionState(String publicKey, boolean removed) {}
