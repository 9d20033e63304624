import { StrictMode, useEffect, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { SwitchboardProvider, useConnectionState, useSwitchboard, useUnread } from "@switchboard/react";
import { Room } from "./Room";

/** Dev mode's token for a name (the gateway mints it for this machine only); a real app asks its own backend. */
async function devToken(user: string): Promise<string> {
  const res = await fetch(`/dev/token?user=${encodeURIComponent(user)}`);
  if (!res.ok) throw new Error(`no token: HTTP ${res.status}`);
  return (await res.json()).token;
}

function App() {
  const [user, setUser] = useState<string | null>(null);
  if (!user) return <SignIn onSignIn={setUser} />;
  return (
    <SwitchboardProvider options={{ token: () => devToken(user) }} fallback={<p>Connecting…</p>}>
      <p>
        Signed in as <b data-testid="me">{user}</b> · <Connection />
      </p>
      <Lobby />
    </SwitchboardProvider>
  );
}

function SignIn({ onSignIn }: { onSignIn: (user: string) => void }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("user") ?? "").trim();
    if (name) onSignIn(name);
  };
  return (
    <form onSubmit={submit}>
      <label htmlFor="user">Your name</label>
      <input id="user" name="user" autoFocus required />
      <button type="submit">Sign in</button>
    </form>
  );
}

function Connection() {
  const { state, reason } = useConnectionState();
  return <span data-testid="connection" data-state={state}>{state}{reason && state !== "connected" ? ` (${reason})` : ""}</span>;
}

/** The user's rooms (a room created with them shows at once), a room to create, the room open. */
function Lobby() {
  const client = useSwitchboard();
  const [rooms, setRooms] = useState<{ id: string; name: string }[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState("");
  const add = (room: { id: string; name: string }) =>
    setRooms((list) => (list.some((r) => r.id === room.id) ? list : [...list, { id: room.id, name: room.name }]));
  useEffect(() => {
    const off = client.on("room-created", ({ room }) => add(room));
    client.request("list-rooms", {}).then(({ rooms }) => rooms.filter((r) => r.member).forEach(add), (e) => setError(String(e)));
    return off;
  }, [client]);
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const members = String(form.get("members") ?? "").split(",").map((m) => m.trim()).filter(Boolean);
    try {
      const { room } = await client.request("create-room", { name, kind: "group", members });
      add(room);
      setOpen(room.id);
    } catch (err) {
      setError(String(err));
    }
  };
  return (
    <>
      <nav aria-label="Rooms">
        <ul>
          {rooms.map((r) => <RoomItem key={r.id} id={r.id} name={r.name} current={r.id === open} onOpen={setOpen} />)}
        </ul>
      </nav>
      <form onSubmit={create} data-testid="new-room">
        <input name="name" aria-label="Room name" placeholder="Room name" required />
        <input name="members" aria-label="Members" placeholder="Members, comma separated" />
        <button type="submit">Create room</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {open && <Room key={open} roomId={open} name={rooms.find((r) => r.id === open)?.name ?? ""} />}
    </>
  );
}

/** A room of the list with its unread count (useUnread joins it, so the count is live). */
function RoomItem({ id, name, current, onOpen }: { id: string; name: string; current: boolean; onOpen: (id: string) => void }) {
  const { unread } = useUnread(id);
  return (
    <li>
      <button type="button" data-testid="room-item" data-room-name={name} aria-current={current} onClick={() => onOpen(id)}>
        {name}
      </button>
      {unread > 0 && <span data-testid="room-unread"> {unread} unread</span>}
    </li>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
