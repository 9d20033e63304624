package io.switchboard.gateway.auth;

import io.switchboard.common.chat.Sender;

/**
 * Who a verified token speaks for, until when ({@code expiresAt}, epoch seconds: every accepted
 * token has an {@code exp}), and whether it carries the admin role of its tenant ({@code role:
 * "admin"} or {@code roles} containing {@code "admin"}).
 */
public record Principal(Sender sender, long expiresAt, boolean admin) {}
