import { useEffect, useRef, useState } from "preact/hooks";
import { ConfirmDialog, type Confirmation } from "./ConfirmDialog";
import { errorText } from "./errorText";
import { keepFocusIn } from "./focus";
import { InvitesSection } from "./InvitesSection";
import { BansSection, MembersSection } from "./MembersSection";
import { roleOf, roomRights, type RoomRights } from "./membership";
import type { ChatStore, RoomView } from "./store";
import { NARROW, useMedia } from "./useStore";
import { formatSeconds } from "./when";

/**
 * Runs a request of the panel: its failure shows as `failure: <readable error> (CODE)`, its success
 * as `done` (a sentence, or one made of the ack). Resolves with whether it succeeded.
 */
export type Act = <T>(failure: string, run: () => Promise<T>, done?: string | ((ack: T) => string)) => Promise<boolean>;
/** Asks before an action that cannot be taken back. */
export type Ask = (c: Confirmation) => void;

interface Props {
  store: ChatStore;
  room: RoomView;
  me: string;
  onClose: () => void;
}

/**
 * The room's details beside the timeline: settings, members with their roles, invitation links,
 * leaving and deleting. It offers what the user's role allows (docs/protocol.md, "Membership and
 * roles"); what the server still refuses shows as a readable error with its code.
 */
export function RoomPanel({ store, room, me, onClose }: Props) {
  const roomId = room.summary.id;
  const role = roleOf(room.members, me);
  const rights = roomRights(role, room.summary.kind);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Confirmation | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const narrow = useMedia(NARROW);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    setError("");
    setStatus("");
    store.changes.loadMembers(roomId).catch((e) => setError(`Could not list the members: ${errorText(e)}`));
  }, [roomId]);

  const act: Act = async (failure, run, done) => {
    setError("");
    setStatus("");
    setBusy(true);
    try {
      const ack = await run();
      setStatus(typeof done === "function" ? done(ack) : done ?? "");
      return true;
    } catch (e) {
      setError(`${failure}: ${errorText(e)}`);
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    // On a phone the panel covers the room: a modal dialog there, Tab kept inside.
    <section class="panel" id="room-panel" role="dialog" aria-modal={narrow ? "true" : undefined} aria-labelledby="room-panel-title"
      data-testid="room-panel" onKeyDown={(e) => {
        if (e.key === "Escape" && !asking) onClose();
        else if (narrow && !asking) keepFocusIn(e);
      }}>
      <div class="panel-header">
        <h2 id="room-panel-title" tabIndex={-1} ref={heading}>Room details</h2>
        <button type="button" class="small" aria-label="Close room details" data-testid="close-panel" onClick={onClose}>×</button>
      </div>
      {error && <p class="error" role="alert" data-testid="panel-error">{error}</p>}
      {status && <p class="status" role="status" data-testid="panel-status">{status}</p>}
      {!rights.manage && <About room={room} />}
      <MembersSection store={store} room={room} me={me} role={role} busy={busy} act={act} ask={setAsking} />
      {rights.manage && (
        <>
          <InvitesSection store={store} room={room} busy={busy} act={act} />
          <Settings store={store} room={room} busy={busy} act={act} />
          <BansSection store={store} room={room} busy={busy} act={act} />
        </>
      )}
      <Leave store={store} room={room} rights={rights} owner={role === "owner"} busy={busy} ask={setAsking} />
      {asking && (
        <ConfirmDialog ask={asking} onCancel={() => setAsking(null)} onConfirm={() => {
          setAsking(null);
          void act(asking.failure, asking.run, asking.done);
        }} />
      )}
    </section>
  );
}

/** Slow mode's choices (the contract takes 0 to 21600 seconds). */
const SLOW_MODES = [0, 10, 30, 60, 300, 900, 3600, 21_600];

/** The topic and state of the room, for those who may not change them. */
function About({ room: { summary, moderation } }: { room: RoomView }) {
  return (
    <section aria-labelledby="about-title">
      <h3 id="about-title">About</h3>
      <p class="about" data-testid="about-topic">{summary.topic || <span class="muted">No topic.</span>}</p>
      {summary.archived && <p class="muted">Archived: nobody can send messages here until an owner or admin unarchives it.</p>}
      {moderation.slowMode > 0 && (
        <p class="muted" data-testid="about-slow-mode">
          Slow mode: a member sends one message every {formatSeconds(moderation.slowMode)}; owners and admins are exempt.
        </p>
      )}
    </section>
  );
}

/** Name, topic and slow mode, and the archived state: owners and admins change them. */
function Settings({ store, room, busy, act }: { store: ChatStore; room: RoomView; busy: boolean; act: Act }) {
  const { summary } = room;
  const current = room.moderation.slowMode;
  const [name, setName] = useState(summary.name);
  const [topic, setTopic] = useState(summary.topic ?? "");
  const [slowMode, setSlowMode] = useState(current);
  // Another admin's change shows at once.
  useEffect(() => setName(summary.name), [summary.name]);
  useEffect(() => setTopic(summary.topic ?? ""), [summary.topic]);
  useEffect(() => setSlowMode(current), [current]);

  const changes: { name?: string; topic?: string; slowMode?: number } = {};
  if (name.trim() && name.trim() !== summary.name) changes.name = name.trim();
  if (topic.trim() !== (summary.topic ?? "")) changes.topic = topic.trim();
  if (slowMode !== current) changes.slowMode = slowMode;
  const choices = SLOW_MODES.includes(current) ? SLOW_MODES : [...SLOW_MODES, current].sort((a, b) => a - b);
  const save = (e: Event) => {
    e.preventDefault();
    void act("Could not save the room's settings", () => store.client.updateRoom(summary.id, changes), "Saved.");
  };
  return (
    <section aria-labelledby="settings-title">
      <h3 id="settings-title">Settings</h3>
      <form onSubmit={save} data-testid="room-settings">
        <label>Name
          <input name="room-name-edit" data-testid="room-name-input" value={name} maxLength={200} required
            onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>Topic
          <textarea name="room-topic" data-testid="room-topic-input" rows={2} value={topic} maxLength={500}
            placeholder="What this room is about" onInput={(e) => setTopic(e.currentTarget.value)} />
        </label>
        <label>Slow mode <small class="muted">(a member waits this long between two messages; owners and admins are exempt)</small>
          <select name="slow-mode" data-testid="slow-mode-select" value={slowMode} onChange={(e) => setSlowMode(Number(e.currentTarget.value))}>
            {choices.map((s) => <option key={s} value={s}>{s === 0 ? "Off" : formatSeconds(s)}</option>)}
          </select>
        </label>
        <button type="submit" data-testid="save-room" disabled={busy || Object.keys(changes).length === 0}>Save</button>
      </form>
      {summary.archived ? (
        <div class="row">
          <span class="muted grow">Archived: read-only for everyone.</span>
          <button type="button" data-testid="unarchive-room" disabled={busy}
            onClick={() => void act("Could not unarchive the room", () => store.client.unarchiveRoom(summary.id), "Unarchived.")}>
            Unarchive
          </button>
        </div>
      ) : (
        <div class="row">
          <span class="muted grow">Archiving makes the room read-only; it stays in everyone's list.</span>
          <button type="button" data-testid="archive-room" disabled={busy}
            onClick={() => void act("Could not archive the room", () => store.client.archiveRoom(summary.id), "Archived.")}>
            Archive
          </button>
        </div>
      )}
    </section>
  );
}

interface LeaveProps {
  store: ChatStore;
  room: RoomView;
  rights: RoomRights;
  owner: boolean;
  busy: boolean;
  ask: Ask;
}

/** Leaving the room for good (everyone), deleting it (the owner). */
function Leave({ store, room, rights, owner, busy, ask }: LeaveProps) {
  if (!rights.quit && !rights.delete) return null;
  const { id, name } = room.summary;
  return (
    <section aria-labelledby="leave-title">
      <h3 id="leave-title">Leave</h3>
      {owner && <p class="muted">As the owner, make another member the owner before you leave.</p>}
      <div class="row">
        {rights.quit && (
          <button type="button" class="danger" data-testid="quit-room" disabled={busy} onClick={() => ask({
            title: `Leave «${name}»?`, confirm: "Leave room", failure: "Could not leave the room",
            text: "You leave for good, on all your devices: the room leaves your list until someone adds you again.",
            run: () => store.changes.quitRoom(id),
          })}>Leave room</button>
        )}
        {rights.delete && (
          <button type="button" class="danger" data-testid="delete-room" disabled={busy} onClick={() => ask({
            title: `Delete «${name}»?`, confirm: "Delete room", failure: "Could not delete the room",
            text: "The room goes for everyone, with all its messages. This cannot be undone.",
            run: () => store.changes.deleteRoom(id),
          })}>Delete room</button>
        )}
      </div>
    </section>
  );
}
