import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatStore } from "./store";

/** `typing` is sent at most every 2 s while the user types, and `false` after 3 s without a key. */
const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;

export function Composer({ store, roomName }: { store: ChatStore; roomName: string }) {
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
    <form class="composer" onSubmit={submit}>
      <input name="message" data-testid="composer" autoComplete="off" placeholder={`Message ${roomName}`} value={text}
        maxLength={4000} onInput={(e) => input(e.currentTarget.value)} />
      <button type="submit" data-testid="send" disabled={!text.trim()}>Send</button>
    </form>
  );
}
