package io.switchboard.common.chat;

/** The members of a room with their roles, for a member (or any user of the tenant for a public room). */
public record MemberListRequest(Sender user, String roomId) {}
