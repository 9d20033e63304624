import type { ComponentChildren, Ref } from "preact";
import { useState } from "preact/hooks";
import type { RoomKind } from "../lib";
import { NotifyToggle } from "./NotifyToggle";
import { PresenceDot } from "./RoomHeader";
import { inviteTokenIn } from "./roomChanges";
import type { ChatState, ChatStore } from "./store";

interface Props {
  store: ChatStore;
  state: ChatState;
  onOpen: (roomId: string) => void;
  /** The list is all the screen shows (a phone's room list). */
  listOnly: boolean;
  /** The connection's banner and the notice, when the list is all the screen shows. */
  alerts: ComponentChildren;
  browseRef: Ref<HTMLButtonElement>;
  onBrowse: () => void;
  searchRef: Ref<HTMLButtonElement>;
  onSearch: () => void;
  blocksRef: Ref<HTMLButtonElement>;
  onBlocks: () => void;
}

export function Sidebar({ store, state, onOpen, listOnly, alerts, browseRef, onBrowse, blocksRef, onBlocks, searchRef, onSearch }: Props) {
  const mine = [...state.rooms.values()];
  return (
    // Navigation beside the open room; on a phone's room list, the page's main content.
    <div class="sidebar" role={listOnly ? "main" : "navigation"} aria-label="Rooms">
      {alerts && <div class="sidebar-alerts">{alerts}</div>}
      <div class="me" data-testid="me"><PresenceDot status={state.connection === "connected" ? "online" : "offline"} /> {state.myName}</div>
      <NotifyToggle store={store} />
      <h2>Rooms</h2>
      <ul class="rooms" data-testid="my-rooms">
        {mine.map(({ summary: r }) => (
          <li key={r.id}>
            <button type="button" class={r.id === state.current ? "room-item active" : "room-item"}
              data-testid="room-item" data-room-name={r.name} aria-current={r.id === state.current ? "true" : undefined} onClick={() => onOpen(r.id)}>
              <span class="room-name">{r.kind === "public" ? "# " : ""}{r.name}</span>
              {r.archived && <span class="muted small-text" data-testid="room-archived">archived</span>}
              {r.unread > 0 && <><span class="badge" data-testid="unread">{r.unread}</span><span class="sr-only"> unread</span></>}
            </button>
          </li>
        ))}
        {mine.length === 0 && <li class="muted">No rooms yet.</li>}
      </ul>
      {state.publicRooms.length > 0 && <h2>Public rooms</h2>}
      <ul class="rooms" data-testid="public-rooms">
        {state.publicRooms.map((r) => (
          <li key={r.id} class="public-room">
            <span class="room-name"># {r.name} <small class="muted">{r.members}</small></span>
            <button type="button" data-testid="join-room" data-room-name={r.name} aria-label={`Join ${r.name}`} onClick={() => void store.joinRoom(r)}>
              Join
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="browse" ref={searchRef} data-testid="search-messages" aria-haspopup="dialog" onClick={onSearch}>
        Search messages…
      </button>
      <button type="button" class="browse" ref={browseRef} data-testid="browse-rooms" aria-haspopup="dialog" onClick={onBrowse}>
        Browse public rooms…
      </button>
      <NewRoom store={store} />
      <JoinById store={store} />
      <button type="button" class="browse" ref={blocksRef} data-testid="blocked-users" aria-haspopup="dialog" onClick={onBlocks}>
        Blocked users{state.blocked.size > 0 && <span class="muted"> ({state.blocked.size})</span>}…
      </button>
    </div>
  );
}

function NewRoom({ store }: { store: ChatStore }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<RoomKind>("public");
  const [members, setMembers] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    const list = members.split(/[\s,]+/).filter(Boolean);
    const submitted = name;
    // Clear the field only if it still holds what was submitted: the user may have typed the next
    // room's name while this one was being created.
    void store.createRoom(name.trim(), kind, list).then(() => setName((now) => (now === submitted ? "" : now)));
  };
  return (
    <form class="side-form" onSubmit={submit} data-testid="new-room">
      <h2 id="new-room-title">New room</h2>
      <input name="room-name" placeholder="Room name" aria-label="New room's name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <select name="room-kind" aria-label="New room's kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as RoomKind)}>
        <option value="public">public</option>
        <option value="group">group</option>
        <option value="direct">direct</option>
      </select>
      {kind !== "public" && (
        <input name="room-members" placeholder="Members: bob, carol" aria-label="New room's members" value={members}
          onInput={(e) => setMembers(e.currentTarget.value)} />
      )}
      <button type="submit" disabled={!name.trim()}>Create</button>
    </form>
  );
}

function JoinById({ store }: { store: ChatStore }) {
  const [id, setId] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    const submitted = id;
    const invite = inviteTokenIn(id);
    void (invite ? store.changes.acceptInvite(invite) : store.joinById(id.trim()))
      .then(() => setId((now) => (now === submitted ? "" : now)));
  };
  return (
    <form class="side-form" onSubmit={submit}>
      <input name="room-id" placeholder="Room id or invitation link" aria-label="Join by room id or invitation link" value={id}
        onInput={(e) => setId(e.currentTarget.value)} />
      <button type="submit" disabled={!id.trim()}>Join</button>
    </form>
  );
}
