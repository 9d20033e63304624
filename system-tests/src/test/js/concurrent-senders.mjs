// 50 users on 3 connections each send into one room at once; one user retries a message from two
// connections at the same time. Prints the acks and what one observer received, as JSON.
// Usage: node concurrent-senders.mjs <gateway url> [<JWT secret>]
import { randomUUID } from "node:crypto";
import { connect, request, tokens, until } from "./lib.mjs";

const [url, jwtSecret] = process.argv.slice(2);
const token = tokens(url, jwtSecret);
const USERS = 50, CONNECTIONS = 3, PER_SOCKET = 2;

const sockets = [];
for (let u = 0; u < USERS; u++) {
  const t = await token(`user${u}`);
  for (let c = 0; c < CONNECTIONS; c++) sockets.push(await connect(url, t));
}
const created = await request(sockets[0], "create-room", { name: "crowd", kind: "public" });
const roomId = created.room.id;
await Promise.all(sockets.map((s) => request(s, "join-room", { roomId })));

const observer = await connect(url, await token("observer"));
await request(observer, "join-room", { roomId });
const confirmedSeqs = [];
observer.on("room-message-confirmed", (p) => confirmedSeqs.push(p.seq));

const sends = [];
for (const s of sockets) {
  for (let i = 0; i < PER_SOCKET; i++) {
    sends.push(request(s, "send-message", { roomId, clientMsgId: randomUUID(), body: `from ${s.id} #${i}` }));
  }
}
// The same message retried from two connections of user0 at the same time.
const retryId = randomUUID();
const retries = [sockets[0], sockets[1]].map((s) => request(s, "send-message", { roomId, clientMsgId: retryId, body: "retried" }));
const acks = await Promise.all(sends);
const retryAcks = await Promise.all(retries);

// Read the room back, page by page.
const history = [];
let afterSeq = 0;
for (;;) {
  const page = await request(observer, "fetch-history", { roomId, afterSeq, limit: 100 });
  history.push(...page.messages);
  if (!page.hasMore) break;
  afterSeq = page.messages[page.messages.length - 1].seq;
}
// Every message is confirmed to the observer; wait (bounded) until the last confirmation is in.
await until(() => new Set(confirmedSeqs).size >= history.length);

console.log(JSON.stringify({
  acks: acks.map((a) => ({ ok: a.ok, id: a.id, seq: a.seq, code: a.error?.code })),
  retryAcks,
  history: history.map((m) => ({ id: m.id, seq: m.seq, body: m.body })),
  observerConfirmed: confirmedSeqs,
}));
for (const s of [...sockets, observer]) s.disconnect();
process.exit(0);
