import { SwitchboardClient, type TokenSource } from "../lib";
import { ChatStore } from "./store";

/** Dev mode answers `GET /dev/token` without a user with 400; without dev mode the route does not exist. */
export async function devModeOn(): Promise<boolean> {
  try {
    return (await fetch("/dev/token")).status === 400;
  } catch {
    return false;
  }
}

/** A token source that mints a development token for the user each time one is needed. */
export function devTokens(user: string): TokenSource {
  return async () => {
    const res = await fetch(`/dev/token?user=${encodeURIComponent(user)}`);
    if (!res.ok) throw new Error(`dev token: HTTP ${res.status}`);
    return (await res.json()).token as string;
  };
}

/** Connects, lists whom the user blocks, lists and joins their rooms, and opens the first one. */
export async function startSession(token: TokenSource): Promise<ChatStore> {
  const client = new SwitchboardClient({ token });
  await client.connect();
  const me = client.userId ?? "me";
  const store = new ChatStore(client, me, me);
  // Without the list, placeholders still come as they are: the list shows after the next reconnect.
  await Promise.all([store.loadRooms(), store.blocks.load().catch(() => {})]);
  const first = [...store.state.rooms.keys()][0];
  if (first) await store.open(first);
  return store;
}
