// Shared helpers of the end-to-end scenarios: tokens, connections, requests with acks, waiting for events.
import { io } from "socket.io-client";
import { createHmac, randomUUID } from "node:crypto";

export const TIMEOUT = 15_000;

export function tokens(url, jwtSecret) {
  return async (user, tenant) => {
    if (jwtSecret) {
      const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
      const claims = { sub: user, name: user, exp: Math.floor(Date.now() / 1000) + 3600, ...(tenant ? { tenant } : {}) };
      const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
      return `${unsigned}.${createHmac("sha256", jwtSecret).update(unsigned).digest("base64url")}`;
    }
    const query = `user=${encodeURIComponent(user)}${tenant ? `&tenant=${encodeURIComponent(tenant)}` : ""}`;
    const res = await fetch(`${url}/dev/token?${query}`);
    if (!res.ok) throw new Error(`dev token for ${user}: HTTP ${res.status}`);
    return (await res.json()).token;
  };
}

export function connect(url, token, transports = ["websocket"], auth = {}) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token, ...auth }, transports, reconnection: false, timeout: TIMEOUT, forceNew: true });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => { socket.close(); reject(err); });
  });
}

export const request = (socket, event, payload) => socket.timeout(TIMEOUT).emitWithAck(event, payload);

export function waitFor(socket, event, predicate = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT} ms`)), TIMEOUT);
    const listener = (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Resolves when the condition (sync or async) holds, checked again on every event-loop turn;
 * rejects after the timeout.
 */
export function until(condition, timeout = TIMEOUT) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeout;
    const check = async () => {
      if (await condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error("condition not met in time"));
      setImmediate(check);
    };
    check();
  });
}

/**
 * Two users in a public room of their own, for scenarios that measure what an attack or a flood does
 * to them: `chat(n)` has Alice send n messages at a human pace (one every 120 ms, within her rate
 * limit) and resolves with the latencies until Bob saw each optimistic copy.
 */
export async function chatters(url, roomName) {
  const token = tokens(url);
  const alice = await connect(url, await token("alice"));
  const bob = await connect(url, await token("bob"));
  const room = (await request(alice, "create-room", { name: roomName, kind: "public" })).room;
  for (const s of [alice, bob]) await request(s, "join-room", { roomId: room.id });
  async function chat(n) {
    const latencies = [];
    for (let i = 0; i < n; i++) {
      const clientMsgId = randomUUID();
      const seen = waitFor(bob, "room-message-created", (p) => p.new.tempId === clientMsgId);
      const start = performance.now();
      const ack = await request(alice, "send-message", { roomId: room.id, clientMsgId, body: `hello ${i}` });
      if (!ack.ok) throw new Error(`alice was refused: ${JSON.stringify(ack)}`);
      await seen;
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 120));
    }
    return latencies;
  }
  return { alice, bob, room, chat };
}

export const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
