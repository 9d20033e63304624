import { useState } from "preact/hooks";
import type { Member, RoomRole } from "../lib";
import { memberRights, mutedUntil, roomRights, userIds, validUserId } from "./membership";
import * as Mod from "./moderation";
import { MuteForm } from "./MuteForm";
import type { Act, Ask } from "./RoomPanel";
import type { ChatStore, RoomView } from "./store";
import { useNow } from "./useStore";
import { formatShort } from "./when";

interface Props {
  store: ChatStore;
  room: RoomView;
  me: string;
  role: RoomRole | undefined;
  busy: boolean;
  act: Act;
  ask: Ask;
}

/** The members with their role badges (and muted ones') and what the user may do to each; adding members. */
export function MembersSection({ store, room, me, role, busy, act, ask }: Props) {
  const { summary, members } = room;
  const manage = roomRights(role, summary.kind).manage;
  // A mute's badge goes when the mute ends.
  useNow(Mod.nextDeadline({ ...room.moderation, nextSendAt: 0 }));
  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title">Members <span data-testid="member-count">{members ? members.length : summary.members}</span></h3>
      {members == null ? <p class="muted">Loading…</p> : (
        <ul class="members" data-testid="members">
          {members.map((m) => (
            <MemberRow key={m.userId} store={store} room={room} member={m} me={me} role={role} busy={busy} act={act} ask={ask} />
          ))}
        </ul>
      )}
      {manage && <AddMembers store={store} roomId={summary.id} busy={busy} act={act} />}
    </section>
  );
}

interface RowProps {
  store: ChatStore;
  room: RoomView;
  member: Member;
  me: string;
  role: RoomRole | undefined;
  busy: boolean;
  act: Act;
  ask: Ask;
}

function MemberRow({ store, room, member, me, role, busy, act, ask }: RowProps) {
  const { id, name, kind } = room.summary;
  const { userId } = member;
  const rights = userId === me ? null : memberRights(role, member.role, kind);
  // What the page heard of (events, history), else what list-members said of a mute set before.
  const muted = Mod.mutedUntil(room.moderation, userId) ?? mutedUntil(member);
  const blocked = store.state.blocked.has(userId);
  const [muting, setMuting] = useState(false);
  const c = store.client;
  const setRole = (to: RoomRole) => act(`Could not make ${userId} ${to}`, () => c.setMemberRole(id, userId, to), `${userId} is ${to === "admin" ? "an" : "a"} ${to} now.`);
  return (
    <li class="member" data-testid="member" data-user={userId} data-role={member.role} data-muted={String(muted != null)}>
      <span class="member-name">{userId}{userId === me && <span class="muted"> (you)</span>}</span>
      <span class="badges">
        {muted && (
          <span class="role role-muted" data-testid="muted-badge" data-until={muted.toISOString()}
            title={`Muted until ${muted.toLocaleString()}`}>muted until {formatShort(muted)}</span>
        )}
        {blocked && <span class="role role-blocked" data-testid="blocked-badge" title="You blocked them: their messages are hidden from you">blocked</span>}
        <span class={`role role-${member.role}`} data-testid="role">{member.role}</span>
      </span>
      {rights && (
        <div class="member-actions" role="group" aria-label={`Actions for ${userId}`}>
          {rights.setRole && member.role === "member" && (
            <button type="button" data-testid="make-admin" disabled={busy} onClick={() => void setRole("admin")}>Make admin</button>
          )}
          {rights.setRole && member.role === "admin" && (
            <button type="button" data-testid="make-member" disabled={busy} onClick={() => void setRole("member")}>Make member</button>
          )}
          {rights.setRole && (
            <button type="button" data-testid="make-owner" disabled={busy} onClick={() => ask({
              title: `Make ${userId} the owner of «${name}»?`, confirm: "Transfer ownership", failure: "Could not transfer the ownership",
              text: `${userId} becomes the owner; you become an admin. Only the new owner can give it back.`,
              run: () => c.setMemberRole(id, userId, "owner"), done: `${userId} owns the room now.`,
            })}>Make owner</button>
          )}
          {rights.mute && muted && (
            <button type="button" data-testid="unmute-member" disabled={busy}
              onClick={() => void act(`Could not unmute ${userId}`, () => c.unmuteMember(id, userId), `${userId} may send again.`)}>
              Unmute
            </button>
          )}
          {rights.mute && !muting && (
            <button type="button" data-testid="mute-member" disabled={busy} onClick={() => setMuting(true)}>
              {muted ? "Mute again…" : "Mute…"}
            </button>
          )}
          {rights.remove && (
            <button type="button" class="danger" data-testid="remove-member" disabled={busy} onClick={() => ask({
              title: `Remove ${userId} from «${name}»?`, confirm: "Remove", failure: `Could not remove ${userId}`,
              text: `${userId} leaves the room on all their devices. They can be added again.`,
              run: () => c.removeMember(id, userId), done: `${userId} was removed.`,
            })}>Remove</button>
          )}
          {blocked ? (
            <button type="button" data-testid="unblock-user" disabled={busy}
              onClick={() => void act(`Could not unblock ${userId}`, () => store.blocks.unblock(userId), (done) => done)}>Unblock</button>
          ) : (
            <button type="button" data-testid="block-user" disabled={busy} title={`Hide ${userId}'s messages from you, in every room`}
              onClick={() => void act(`Could not block ${userId}`, () => store.blocks.block(userId), (done) => done)}>Block</button>
          )}
          {rights.ban && (
            <button type="button" class="danger" data-testid="ban-member" disabled={busy} onClick={() => ask({
              title: `Ban ${userId} from «${name}»?`, confirm: "Ban", failure: `Could not ban ${userId}`,
              text: `${userId} is removed and cannot join, be added or accept an invitation until unbanned.`,
              run: () => c.banMember(id, userId), done: `${userId} was banned.`,
            })}>Ban</button>
          )}
        </div>
      )}
      {rights?.mute && muting && <MuteForm store={store} roomId={id} userId={userId} busy={busy} act={act} onDone={() => setMuting(false)} />}
    </li>
  );
}

/** Users have no directory in Switchboard: members are added by user id. */
function AddMembers({ store, roomId, busy, act }: { store: ChatStore; roomId: string; busy: boolean; act: Act }) {
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const ids = userIds(text);
    const bad = ids.filter((u) => !validUserId(u));
    setInvalid(bad.length ? `Not a user id: ${bad.join(", ")}` : "");
    if (bad.length || ids.length === 0) return;
    const ok = await act("Could not add members", () => store.client.addMembers(roomId, ids), ({ added }) => {
      const already = ids.filter((u) => !added.includes(u));
      return [
        added.length ? `Added ${added.join(", ")}.` : "",
        already.length ? `${already.join(", ")} ${already.length === 1 ? "was a member" : "were members"} already.` : "",
      ].filter(Boolean).join(" ");
    });
    if (ok) setText("");
  };
  return (
    <form onSubmit={submit} data-testid="add-members">
      <label>Add members <small class="muted">(user ids, separated by commas)</small>
        <input name="add-members" data-testid="add-members-input" value={text} placeholder="bob, carol" autoComplete="off"
          aria-invalid={invalid ? "true" : undefined} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      {invalid && <p class="error" role="alert">{invalid}</p>}
      <button type="submit" data-testid="add-members-submit" disabled={busy || !text.trim()}>Add</button>
    </form>
  );
}

/** The bans this page saw, to lift; and a ban or unban of anyone by user id (the contract lists no bans). */
export function BansSection({ store, room, busy, act }: { store: ChatStore; room: RoomView; busy: boolean; act: Act }) {
  const [user, setUser] = useState("");
  const roomId = room.summary.id;
  const c = store.client;
  const unban = (u: string) => act(`Could not unban ${u}`, () => c.unbanMember(roomId, u), `${u} may join again.`);
  const id = user.trim();
  return (
    <section aria-labelledby="bans-title">
      <h3 id="bans-title">Bans</h3>
      {room.banned.size > 0 && (
        <ul class="members" data-testid="banned" aria-label="Banned">
          {[...room.banned].map((u) => (
            <li key={u} class="member" data-testid="banned-user" data-user={u}>
              <span class="member-name">{u}</span>
              <span class="role role-banned">banned</span>
              <div class="member-actions">
                <button type="button" data-testid="unban" disabled={busy} onClick={() => void unban(u)}>Unban</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <label>Ban or unban a user
        <input name="ban-user" data-testid="ban-input" value={user} placeholder="user id" autoComplete="off"
          onInput={(e) => setUser(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button type="button" class="danger" data-testid="ban-by-id" disabled={busy || !validUserId(id)}
          onClick={() => void act(`Could not ban ${id}`, () => c.banMember(roomId, id), `${id} was banned.`).then((ok) => ok && setUser(""))}>
          Ban
        </button>
        <button type="button" data-testid="unban-by-id" disabled={busy || !validUserId(id)}
          onClick={() => void unban(id).then((ok) => ok && setUser(""))}>Unban</button>
      </div>
    </section>
  );
}
