/** The gateway's admin API (`/admin/*`, bearer token): every gateway answers for its own sockets. */

export interface NodeInfo {
  node: string;
  connections: number;
  rooms: number;
  byTenant?: Record<string, number>;
}

export interface RoomLoad {
  roomId: string;
  sockets: number;
}

export class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(token: string, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method, cache: "no-store",
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new AdminError(res.status, json.error ?? `HTTP ${res.status}`);
  return json as T;
}

export async function nodes(token: string): Promise<NodeInfo[]> {
  return (await call<{ nodes: NodeInfo[] }>(token, "GET", "/admin/nodes")).nodes;
}

/** Rooms with the most sockets, summed over the cluster's gateways. */
export async function busiestRooms(token: string, limit = 10): Promise<RoomLoad[]> {
  const answer = await call<{ nodes: { rooms?: RoomLoad[] }[] }>(token, "GET", `/admin/rooms?limit=${limit}`);
  const sum = new Map<string, number>();
  answer.nodes.forEach((n) => n.rooms?.forEach((r) => sum.set(r.roomId, (sum.get(r.roomId) ?? 0) + r.sockets)));
  return [...sum].map(([roomId, sockets]) => ({ roomId, sockets })).sort((a, b) => b.sockets - a.sockets).slice(0, limit);
}

export async function disconnectUser(token: string, userId: string, tenant?: string): Promise<number> {
  return (await call<{ total: number }>(token, "POST", "/admin/disconnect", tenant ? { userId, tenant } : { userId })).total;
}

export async function drain(token: string): Promise<{ node: string }> {
  return call(token, "POST", "/admin/drain");
}
