import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "./store";

/** `typing` is sent at most every 2 s while the user types, and `false` after 3 s without a key. */
const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;

/** The message field; an archived room is read-only, and the field says so. */
export function Composer({ store, roomName, archived }: { store: ChatStore; roomName: string; archived: boolean }) {
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

  const submit = (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    clearTimeout(idle.current);
    lastSent.current = 0;
    store.send(text);
    setText("");
  };

  return (
    <>
      {archived && (
        <p class="archived-note" id="archived-note" role="status" data-testid="archived-note">
          This room is archived: it is read-only, nobody can send, edit or delete messages until an owner or admin
          unarchives it.
        </p>
      )}
      <form class="composer" onSubmit={submit}>
        <input name="message" data-testid="composer" autoComplete="off" value={text} maxLength={4000} disabled={archived}
          placeholder={archived ? "This room is archived" : `Message ${roomName}`} aria-label={`Message ${roomName}`}
          aria-describedby={archived ? "archived-note" : undefined} onInput={(e) => input(e.currentTarget.value)} />
        <button type="submit" data-testid="send" disabled={archived || !text.trim()}>Send</button>
      </form>
    </>
  );
}
