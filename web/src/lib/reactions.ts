import type { ChatMessage, Reaction, ReactionAck, ServerEvents } from "./types.js";

/**
 * Folds a change of a message's reactions into it: a `message-reaction` event, or the ack of this
 * user's own request. Changes of one message may arrive in any order (docs/protocol.md, "Reactions"):
 * a change older than what the message shows (a lower `version`) is ignored, so the message is
 * returned as it was. Events carry no `me`: it is kept from what the message showed, or derived from
 * the change when it was `self`'s.
 */
export function applyReaction(
  message: ChatMessage,
  change: ServerEvents["message-reaction"] | ReactionAck,
  self: string,
): ChatMessage {
  if (change.version <= (message.reactionsVersion ?? 0) || message.deleted || message.hidden) {
    return message;
  }
  const before = new Map((message.reactions ?? []).map((r) => [r.emoji, r.me]));
  const event = "userId" in change ? change : null;
  const reactions: Reaction[] = change.reactions.map((r) => {
    if (r.me !== undefined) return r;
    const mine = event && event.userId === self && event.emoji === r.emoji
      ? event.added
      : before.get(r.emoji) ?? r.users.includes(self);
    return { ...r, me: mine };
  });
  return { ...message, reactions, reactionsVersion: change.version };
}

/** The message after an edit (`room-message-updated` carries no reactions): the reactions it had. */
export function keepReactions(edited: ChatMessage, before: ChatMessage | undefined): ChatMessage {
  if (!before?.reactions || edited.reactions) return edited;
  return { ...edited, reactions: before.reactions, reactionsVersion: before.reactionsVersion };
}
