import { useEffect, useRef, useState } from "preact/hooks";
import { roleOf } from "./membership";
import * as Mod from "./moderation";
import type { ChatStore, RoomView } from "./store";
import { useNow } from "./useStore";
import { formatSeconds, formatTime, formatWait } from "./when";

/** `typing` is sent at most every 2 s while the user types, and `false` after 3 s without a key. */
const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;

/**
 * The message field. It says why the user cannot send: the room is archived (read-only), the user is
 * muted (until when; it opens again by itself then), or in slow mode a member waits (a countdown,
 * during which they may type but not send).
 */
export function Composer({ store, room, me }: { store: ChatStore; room: RoomView; me: string }) {
  const { name: roomName, archived } = room.summary;
  const mod = room.moderation;
  const [text, setText] = useState("");
  const lastSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(idle.current), []);

  const input = (value: string) => {
    setText(value);
    const now = Date.now();
    if (now - lastSent.current > TYPING_EVERY_MS) {
      lastSent.current = now;
      store.typing(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(() => {
      lastSent.current = 0;
      store.typing(false);
    }, TYPING_IDLE_MS);
  };

  const muted = Mod.mutedUntil(mod, me);
  const wait = Mod.slowWait(mod);
  useNow(muted ? muted.getTime() : wait > 0 ? mod.nextSendAt : null);
  const slowApplies = mod.slowMode > 0 && Mod.slowModeApplies(roleOf(room.members, me));
  const closed = archived || muted != null;
  const note = archived ? "archived-note" : muted ? "muted-note" : wait > 0 || slowApplies ? "slow-mode-note" : undefined;

  const submit = (e: Event) => {
    e.preventDefault();
    if (!text.trim() || closed || wait > 0) return;
    clearTimeout(idle.current);
    lastSent.current = 0;
    store.send(text);
    setText("");
  };

  return (
    <>
      {archived ? (
        <p class="composer-note" id="archived-note" role="status" data-testid="archived-note">
          This room is archived: it is read-only, nobody can send, edit or delete messages until an owner or admin
          unarchives it.
        </p>
      ) : muted ? (
        <p class="composer-note composer-note-muted" id="muted-note" role="status" data-testid="muted-note"
          data-until={muted.toISOString()}>
          You are muted in this room until <time dateTime={muted.toISOString()}>{formatTime(muted)}</time>
          {" "}({formatWait(muted.getTime() - Date.now())} left): you can read, but not send or edit messages.
        </p>
      ) : wait > 0 ? (
        <p class="composer-note" id="slow-mode-note" role="status" data-testid="slow-mode-note" data-wait="true">
          Slow mode: one message every {formatSeconds(mod.slowMode)}. You can send again in{" "}
          <strong data-testid="slow-mode-countdown">{formatWait(wait)}</strong>.
        </p>
      ) : slowApplies && (
        <p class="composer-note" id="slow-mode-note" data-testid="slow-mode-note" data-wait="false">
          Slow mode: one message every {formatSeconds(mod.slowMode)}.
        </p>
      )}
      <form class="composer" onSubmit={submit}>
        <input name="message" data-testid="composer" autoComplete="off" value={text} maxLength={4000} disabled={closed}
          placeholder={archived ? "This room is archived" : muted ? "You are muted" : `Message ${roomName}`}
          aria-label={`Message ${roomName}`} aria-describedby={note} onInput={(e) => input(e.currentTarget.value)} />
        <button type="submit" data-testid="send" disabled={closed || wait > 0 || !text.trim()}>Send</button>
      </form>
    </>
  );
}
