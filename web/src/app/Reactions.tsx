import { useLayoutEffect, useRef } from "preact/hooks";
import type { Reaction } from "../lib";
import type { ChatStore } from "./store";

/** The reactions a user picks from; any emoji of another client shows and counts too. */
export const PICKS = ["👍", "❤️", "😂", "🎉", "😮", "🙏"];

/**
 * A message's reactions as toggles (pressed: this user's own) and, while `picking`, a row of picks.
 * The message's "React" action opens the picks. A change arrives for everyone in the room
 * (`message-reaction`).
 */
export function Reactions({ store, roomId, messageId, reactions, canReact, picking, onPicked }: {
  store: ChatStore; roomId: string; messageId: string; reactions: Reaction[]; canReact: boolean; picking: boolean;
  onPicked: () => void;
}) {
  const picks = useRef<HTMLSpanElement>(null);
  // The first pick takes the focus when the picks open, for a keyboard user.
  useLayoutEffect(() => {
    if (picking) picks.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [picking]);
  const toggle = (emoji: string) => {
    onPicked();
    void store.toggleReaction(roomId, messageId, emoji);
  };
  if (reactions.length === 0 && !(picking && canReact)) return null;
  return (
    <div class="reactions" data-testid="reactions">
      {reactions.map((r) => (
        <button type="button" key={r.emoji} class={`reaction ${r.me ? "mine" : ""}`} aria-pressed={r.me ? "true" : "false"}
          data-testid="reaction" data-emoji={r.emoji} data-count={r.count} disabled={!canReact}
          title={`${r.users.join(", ")}${r.count > r.users.length ? ` and ${r.count - r.users.length} more` : ""}`}
          aria-label={`${r.emoji} ${r.count}${r.me ? ", yours" : ""}`} onClick={() => toggle(r.emoji)}>
          {r.emoji} <span class="count">{r.count}</span>
        </button>
      ))}
      {picking && canReact && (
        <span class="picks" ref={picks} role="group" aria-label="Pick a reaction" onKeyDown={(e) => e.key === "Escape" && onPicked()}>
          {PICKS.map((emoji) => (
            <button type="button" key={emoji} class="pick" data-testid="pick" data-emoji={emoji} aria-label={`React with ${emoji}`}
              onClick={() => toggle(emoji)}>{emoji}</button>
          ))}
        </span>
      )}
    </div>
  );
}
