import type { ChatMessage, Mentions } from "./types.js";

/**
 * Whether a message mentions `userId` (docs/protocol.md, "Mentions"): named in it, or `@room`, and
 * not sent by them. The server decided `mentions` from the room's members when it stored the
 * message; an optimistic copy has none until its confirmation brings them.
 */
export function mentionsUser(message: Pick<ChatMessage, "senderId"> & { mentions?: Mentions }, userId: string): boolean {
  const m = message.mentions;
  if (!m || message.senderId === userId) return false;
  return m.room === true || m.users.includes(userId);
}
