import { useLayoutEffect, useRef } from "preact/hooks";
import { keepFocusIn } from "./focus";

/** An action that asks first: what the dialog says, and what confirming runs. */
export interface Confirmation {
  title: string;
  text: string;
  /** The confirm button's label: the action's own name ("Delete room"), not "OK". */
  confirm: string;
  run: () => Promise<unknown>;
  /** Names the action in an error message ("Could not delete the room"). */
  failure: string;
  done?: string;
}

/** A modal question before an action that cannot be taken back. Cancel has the focus; Escape cancels; Tab stays inside. */
export function ConfirmDialog({ ask, onCancel, onConfirm }: { ask: Confirmation; onCancel: () => void; onConfirm: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    // Closed, the dialog gives the focus back to what opened it (a button of the room's panel, say).
    const opener = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => opener?.isConnected && opener.focus();
  }, []);
  return (
    <div class="overlay" onKeyDown={(e) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      onCancel();
    }}>
      <div onKeyDown={keepFocusIn} class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text"
        data-testid="confirm-dialog">
        <h2 id="confirm-title">{ask.title}</h2>
        <p id="confirm-text">{ask.text}</p>
        <div class="dialog-actions">
          <button type="button" ref={cancel} data-testid="confirm-cancel" onClick={onCancel}>Cancel</button>
          <button type="button" class="danger-solid" data-testid="confirm-ok" onClick={onConfirm}>{ask.confirm}</button>
        </div>
      </div>
    </div>
  );
}
