// Many resilient clients (resilient-client.mjs) chatting in shared rooms through a load balancer while
// the test kills, drains and restarts servers under them.
// Usage: node resilience-scenario.mjs <url> <JWT secret> '<options JSON>'
// Options: prefix (user and room names), clients, rooms, roomsPerClient, intervalMs (between one
// client's sends), maxInFlight (sends of one client awaiting their ack), messagesPerClient (stop by
// itself after that many; without it, clients send until the line "stop" arrives on stdin),
// flowingAfter (acks before the "flowing" line), settleMs (bound on the final convergence), client
// (options of each ResilientClient).
// Prints JSON lines: {phase: "ready"}, {phase: "flowing"}, {phase: "progress", ...} every 2 s, then
// {phase: "result", ...}: the rooms' history read at the end, every send with its outcome, and what
// each client holds. The Java test asserts on it.
import { createInterface } from "node:readline";
import { ResilientClient } from "./resilient-client.mjs";
import { tokens } from "./lib.mjs";

const [url, jwtSecret, json] = process.argv.slice(2);
const opts = { clients: 12, rooms: 3, roomsPerClient: 2, intervalMs: 300, maxInFlight: 2, settleMs: 60_000,
  prefix: "run", ...JSON.parse(json ?? "{}") };
opts.flowingAfter ??= 2 * opts.clients;
const token = tokens(url, jwtSecret);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (ms) => Math.round(ms * (0.5 + Math.random()));
const print = (obj) => console.log(JSON.stringify(obj));
const started = Date.now();

/** Retries an operation of the setup and the final read while the client reconnects. */
async function retrying(what, op, deadline = Date.now() + 60_000) {
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${err.message}`);
      await delay(jitter(300));
    }
  }
}

const ownerName = `${opts.prefix}-owner`;
const owner = new ResilientClient(url, await token(ownerName), ownerName);
await owner.ready(Date.now() + 60_000);
const roomIds = [];
for (let r = 0; r < opts.rooms; r++) {
  const ack = await retrying("create-room", () => owner.request("create-room", { name: `${opts.prefix}-room-${r}`, kind: "public" }));
  roomIds.push(ack.room.id);
}
const roomsOf = (i) => Array.from({ length: opts.roomsPerClient }, (_, k) => roomIds[(i + k) % roomIds.length]);

const clients = [];
for (let i = 0; i < opts.clients; i++) {
  const name = `${opts.prefix}-u${i}`;
  clients.push(new ResilientClient(url, await token(name), name, opts.client));
}
await Promise.all(clients.map((c, i) => Promise.all(roomsOf(i).map((roomId) => c.join(roomId)))));
print({ phase: "ready", rooms: roomIds, clients: clients.length, ms: Date.now() - started });

let stopping = false;
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "stop") stopping = true;
});

const allSends = () => clients.flatMap((c) => c.sends);
let flowing = false;
let ticks = 0;
const progress = setInterval(() => {
  const sends = allSends();
  const acked = sends.filter((s) => s.ack).length;
  if (!flowing && acked >= opts.flowingAfter) {
    flowing = true;
    print({ phase: "flowing", acked });
  }
  if (++ticks % 8 === 0) {
    print({ phase: "progress", sent: sends.length, acked, failed: sends.filter((s) => s.failed).length,
      ready: clients.filter((c) => c.isReady()).length });
  }
}, 250);

await Promise.all(clients.map(async (client, i) => {
  const mine = roomsOf(i);
  const inFlight = new Set();
  for (let n = 0; !stopping && (opts.messagesPerClient == null || n < opts.messagesPerClient); n++) {
    await delay(jitter(opts.intervalMs));
    while (inFlight.size >= opts.maxInFlight) await Promise.race(inFlight);
    const send = client.send(mine[n % mine.length]).finally(() => inFlight.delete(send));
    inFlight.add(send);
  }
  await Promise.all(inFlight);
}));
clearInterval(progress);
print({ phase: "sent", ms: Date.now() - started });

// What is durable, read back once nothing is being sent any more: page by page, each page retried
// (a rate-limited or interrupted read goes on where it stopped).
async function readHistory(roomId) {
  const messages = [];
  const deadline = Date.now() + 120_000;
  for (let afterSeq = 0; ;) {
    let page;
    try {
      await owner.ready(deadline);
      page = await owner.request("fetch-history", { roomId, afterSeq, limit: 100 });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`history of ${roomId}: ${err.message}`);
      await delay(err.code === "RATE_LIMITED" ? err.retryAfterMs ?? 1000 : jitter(300));
      continue;
    }
    messages.push(...page.messages);
    if (!page.hasMore) return messages;
    afterSeq = page.messages[page.messages.length - 1].seq;
  }
}
const history = {};
for (const roomId of roomIds) history[roomId] = await readHistory(roomId);

// Every client ends connected, its rooms joined, holding exactly what is durable (bounded wait).
const holdsAll = (c) => c.isReady() && [...c.rooms.values()].every((room) =>
  room.byId.size === history[room.roomId].length && history[room.roomId].every((m) => room.byId.has(m.id)));
const settleStart = Date.now();
while (!clients.every(holdsAll) && Date.now() - settleStart < opts.settleMs) await delay(100);

const result = JSON.stringify({
  phase: "result",
  converged: clients.every(holdsAll),
  settleMs: Date.now() - settleStart,
  ms: Date.now() - started,
  rooms: Object.fromEntries(roomIds.map((id) => [id, history[id].map((m) => ({ id: m.id, seq: m.seq, senderId: m.senderId, body: m.body }))])),
  sends: clients.flatMap((c) => c.sends.map((s) => ({ client: c.name, roomId: s.roomId, clientMsgId: s.clientMsgId,
    attempts: s.attempts, errors: s.errors, ack: s.ack, failed: s.failed, at: s.startedAt,
    ms: (s.ackedAt ?? Date.now()) - s.startedAt }))),
  clients: clients.map((c) => ({
    name: c.name, connected: c.socket.connected, ready: c.isReady(), connects: c.connects,
    disconnects: c.disconnects, refusals: c.refusals, fatal: c.fatal,
    rooms: Object.fromEntries([...c.rooms.values()].map((room) => [room.roomId, {
      held: room.ordered().map((m) => [m.seq, m.id]), via: room.via, dropped: room.dropped, conflicts: room.conflicts,
      liveSeqs: room.liveSeqs, created: Object.fromEntries(room.created), confirmed: Object.fromEntries(room.confirmed),
      ownEchoes: room.ownEchoes, filled: room.filled,
    }])),
  })),
});
for (const c of [...clients, owner]) c.close();
// A large line to a pipe is written asynchronously: exit once it is out.
process.stdout.write(result + "\n", () => process.exit(0));
