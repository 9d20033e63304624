import { useEffect, useRef, useState } from "preact/hooks";
import { keepFocusIn } from "./focus";
import { errorText } from "./errorText";
import { validUserId } from "./membership";
import type { ChatStore } from "./store";
import { useStore } from "./useStore";

/**
 * Whom the user blocks, to unblock, and a block by user id. A modal dialog: the field has the focus,
 * Escape closes it. The list follows changes made on the user's other devices.
 */
export function BlockedUsers({ store, onClose }: { store: ChatStore; onClose: () => void }) {
  const state = useStore(store);
  const [user, setUser] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    field.current?.focus();
    void store.blocks.load().catch(() => {});
    // On the document: an Unblock takes its button, which had the focus, out of the dialog.
    const escape = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    document.addEventListener("keydown", escape);
    return () => document.removeEventListener("keydown", escape);
  }, []);
  const id = user.trim();
  const act = async (failure: string, run: () => Promise<string>, clear = false) => {
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ error: false, text: await run() });
      if (clear) setUser("");
      field.current?.focus();
    } catch (e) {
      setStatus({ error: true, text: `${failure}: ${errorText(e)}` });
    } finally {
      setBusy(false);
    }
  };
  const blocked = [...state.blocked].sort();
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div onKeyDown={keepFocusIn} class="dialog" role="dialog" aria-modal="true" aria-labelledby="blocks-title" data-testid="blocks-dialog">
        <div class="panel-header">
          <h2 id="blocks-title">Blocked users</h2>
          <button type="button" class="small" aria-label="Close" data-testid="close-blocks" onClick={onClose}>×</button>
        </div>
        <p class="muted small-text">
          You do not see the messages of the users you block, in any room (each shows as a hidden message), and no direct
          room can be made between you. They are not told.
        </p>
        {status && (
          <p class={status.error ? "error" : "status"} role={status.error ? "alert" : "status"} data-testid="blocks-status">{status.text}</p>
        )}
        <ul class="results" data-testid="blocked-list">
          {blocked.map((u) => (
            <li key={u} class="result" data-testid="blocked-user" data-user={u}>
              <span class="result-text">{u}</span>
              <button type="button" data-testid="unblock" disabled={busy} onClick={() => void act(`Could not unblock ${u}`, () => store.blocks.unblock(u))}>Unblock</button>
            </li>
          ))}
          {blocked.length === 0 && <li class="muted" data-testid="no-blocks">You block nobody.</li>}
        </ul>
        <form class="row" onSubmit={(e) => {
          e.preventDefault();
          if (validUserId(id)) void act(`Could not block ${id}`, () => store.blocks.block(id), true);
        }}>
          <input ref={field} name="block-user" data-testid="block-input" aria-label="Block a user by user id" placeholder="user id"
            autoComplete="off" value={user} onInput={(e) => setUser(e.currentTarget.value)} />
          <button type="submit" data-testid="block-by-id" disabled={busy || !validUserId(id) || id === state.me}>Block</button>
        </form>
      </div>
    </div>
  );
}
