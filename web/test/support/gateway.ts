import { SwitchboardClient, type ClientEvents } from "../../src/lib";

/** The running gateway under test (the packaged jar started by WebAppIT, in system-tests). */
export const URL = process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:3000";
export const ADMIN_TOKEN = process.env.SWITCHBOARD_ADMIN_TOKEN ?? "";

/** A user id no other test run uses. */
export function unique(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Library tests use a tenant of their own so that their rooms stay out of the browser tests' lists. */
export const TENANT = "lib-tests";

export async function devToken(user: string, tenant = TENANT): Promise<string> {
  const res = await fetch(`${URL}/dev/token?user=${encodeURIComponent(user)}&tenant=${encodeURIComponent(tenant)}`);
  if (!res.ok) throw new Error(`dev token for ${user}: HTTP ${res.status}`);
  return (await res.json()).token;
}

export async function connected(user: string, tenant = TENANT): Promise<SwitchboardClient> {
  const client = new SwitchboardClient({
    url: URL, token: () => devToken(user, tenant), transports: ["websocket"], requestTimeoutMs: 5000,
  });
  await client.connect();
  return client;
}

/** Resolves with the first library event that matches, or fails after the timeout. */
export function next<E extends keyof ClientEvents>(
  client: SwitchboardClient, event: E, match: (p: ClientEvents[E]) => boolean = () => true, timeoutMs = 10_000,
): Promise<ClientEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onClient(event, (p) => {
      if (!match(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/**
 * Drops the connection as a network failure would, and keeps it down until `restore`. With
 * `recoverable: false` the reconnect starts a new server session (as after a gateway restart or once
 * the recovery window passed), so only the client's catch-up brings back what was missed.
 */
export function dropConnection(client: SwitchboardClient): { restore: (o?: { recoverable?: boolean }) => void } {
  client.socket.io.reconnection(false);
  client.socket.io.engine.close();
  return {
    restore: ({ recoverable = true } = {}) => {
      // socket.io-client asks for recovery with the session id the server gave it.
      if (!recoverable) (client.socket as unknown as { _pid?: string })._pid = undefined;
      client.socket.io.reconnection(true);
      client.socket.connect();
    },
  };
}
