package io.switchboard.common.chat;

/**
 * What an {@link InviteChange} did: a created invitation ({@code token}, {@code expiresAt} ISO-8601,
 * {@code maxUses}); for an accepted one, {@code joined}, the membership change (no seq when the user
 * was a member already).
 */
public record InviteResult(String roomId, String token, String expiresAt, Integer maxUses, MemberChangeResult joined) {}
