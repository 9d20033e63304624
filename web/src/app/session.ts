import { SwitchboardClient, type TokenSource } from "../lib";
import { ChatStore } from "./store";

/**
 * Whether `/dev/token` mints tokens for this browser: `GET /dev/status` answers `{devTokens}` with 200
 * in every mode, so that asking logs no failed request. Null when the gateway cannot be reached (offline).
 */
export async function devModeOn(): Promise<boolean | null> {
  try {
    const res = await fetch("/dev/status", { cache: "no-store" });
    return res.ok && (await res.json()).devTokens === true;
  } catch {
    return null;
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
