package io.switchboard.gateway.auth;

import io.switchboard.common.chat.Sender;

/**
 * Who a verified token speaks for, until when ({@code expiresAt}, epoch seconds, null without
 * {@code exp}), and whether it carries the admin role ({@code role: "admin"} or {@code roles}
 * containing {@code "admin"}).
 */
public record Principal(Sender sender, Long expiresAt, boolean admin) {}
