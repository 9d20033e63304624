import { useState } from "preact/hooks";
import type { Act } from "./RoomPanel";
import type { ChatStore, Invite, RoomView } from "./store";

const EXPIRY: [number, string][] = [[3600, "1 hour"], [86_400, "1 day"], [604_800, "7 days"], [2_592_000, "30 days"]];

/**
 * Invitation links (owners and admins): whoever opens one and signs in becomes a member. The server
 * keeps only a hash of each token, so a link is shown once, here, until the page is reloaded.
 */
export function InvitesSection({ store, room, busy, act }: { store: ChatStore; room: RoomView; busy: boolean; act: Act }) {
  const roomId = room.summary.id;
  const [expiry, setExpiry] = useState(604_800);
  const [uses, setUses] = useState("");
  const maxUses = uses.trim() ? Number(uses) : undefined;
  const validUses = maxUses === undefined || (Number.isInteger(maxUses) && maxUses >= 1 && maxUses <= 100_000);
  const create = (e: Event) => {
    e.preventDefault();
    void act("Could not create an invitation link", () => store.changes.createInvite(roomId, expiry, maxUses),
      "Link created: copy it now, it is shown only here.");
  };
  return (
    <section aria-labelledby="invites-title">
      <h3 id="invites-title">Invitation links</h3>
      <form onSubmit={create} data-testid="new-invite">
        <div class="row">
          <label class="grow">Expires after
            <select name="invite-expiry" data-testid="invite-expiry" value={expiry}
              onChange={(e) => setExpiry(Number(e.currentTarget.value))}>
              {EXPIRY.map(([s, label]) => <option key={s} value={s}>{label}</option>)}
            </select>
          </label>
          <label class="grow">Uses
            <input name="invite-uses" data-testid="invite-max-uses" type="number" min={1} max={100_000} placeholder="no limit"
              value={uses} aria-invalid={validUses ? undefined : "true"} onInput={(e) => setUses(e.currentTarget.value)} />
          </label>
        </div>
        <button type="submit" data-testid="create-invite" disabled={busy || !validUses}>Create link</button>
      </form>
      {room.invites.length > 0 && (
        <ul class="invites" data-testid="invites">
          {room.invites.map((i) => <InviteItem key={i.token} invite={i} busy={busy}
            revoke={() => act("Could not revoke the link", () => store.changes.revokeInvite(roomId, i.token), "Link revoked.")} />)}
        </ul>
      )}
    </section>
  );
}

function InviteItem({ invite, busy, revoke }: { invite: Invite; busy: boolean; revoke: () => void }) {
  const [copied, setCopied] = useState(false);
  const expires = new Date(invite.expiresAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  const copy = async (e: Event) => {
    const field = (e.currentTarget as HTMLElement).closest("li")!.querySelector("input")!;
    try {
      await navigator.clipboard.writeText(invite.link);
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the selected text copies the old way.
      field.select();
      document.execCommand("copy");
    }
    setCopied(true);
  };
  return (
    <li class="invite" data-testid="invite">
      <input readOnly value={invite.link} aria-label="Invitation link" data-testid="invite-link"
        onFocus={(e) => e.currentTarget.select()} />
      <span class="muted small-text">
        Expires {expires} · {invite.maxUses == null ? "no limit of uses" : `${invite.maxUses} ${invite.maxUses === 1 ? "use" : "uses"}`}
      </span>
      <div class="row">
        <button type="button" data-testid="copy-invite" onClick={(e) => void copy(e)}>{copied ? "Copied" : "Copy link"}</button>
        <button type="button" class="danger" data-testid="revoke-invite" disabled={busy} onClick={revoke}>Revoke</button>
      </div>
    </li>
  );
}
