// Hostile clients on raw WebSockets send random and almost-valid Engine.IO / Socket.IO frames, text
// and binary, while two users chat. Prints what the chatters saw and what the fuzzers met, as JSON.
// Usage: node protocol-fuzz.mjs <gateway url> <fuzzers> <frames per fuzzer>
import { randomBytes, randomUUID } from "node:crypto";
import WebSocket from "ws";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [url, fuzzerCount, framesPerFuzzer] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const token = tokens(url);
const wsUrl = url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket";

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const junk = () => randomBytes(1 + Math.floor(Math.random() * 40)).toString(pick(["hex", "base64", "latin1", "utf8"]));
const value = (depth = 0) => pick([
  () => junk(), () => Math.random() * 1e20, () => -1, () => null, () => true, () => "x".repeat(Math.floor(Math.random() * 5000)),
  () => (depth < 3 ? [value(depth + 1), value(depth + 1)] : 1),
  () => (depth < 3 ? { roomId: value(depth + 1), body: value(depth + 1), clientMsgId: randomUUID(), _placeholder: true, num: 7 } : {}),
])();
const events = ["send-message", "join-room", "typing", "fetch-history", "edit-message", "create-room", "mark-read", junk()];
/** Half well-formed events with hostile payloads (they reach the chat layer), half broken frames. */
const frame = () => Math.random() < 0.5
  ? "42" + (Math.random() < 0.5 ? Math.floor(Math.random() * 1e6) : "") + JSON.stringify([pick(events), value()])
  : pick([
  () => junk(),
  () => "4" + junk(),
  () => "42" + junk(),
  () => "42" + JSON.stringify([pick(events), value()]),
  () => "42" + Math.floor(Math.random() * 1e9) + JSON.stringify([pick(events), value(), value()]),
  () => "43" + Math.floor(Math.random() * 100) + JSON.stringify([value()]),
  () => "451-" + JSON.stringify([pick(events), { _placeholder: true, num: Math.floor(Math.random() * 3) }]),
  () => "41", () => "40/nope,", () => "2", () => "3", () => "6", () => "5",
  () => randomBytes(Math.floor(Math.random() * 64)),
])();

/** One hostile session: connects, then sends frames until the server closes it or the budget is spent. */
async function session(authToken, budget) {
  const ws = new WebSocket(wsUrl);
  let closed = false;
  const done = new Promise((resolve) => ws.on("close", () => { closed = true; resolve(); }));
  ws.on("error", () => {});
  ws.on("message", (data) => { if (String(data) === "2") ws.send("3"); });
  const opened = await Promise.race([new Promise((r) => ws.once("open", () => r(true))), done.then(() => false)]);
  if (!opened) return { sent: 0, sessions: 1 };
  ws.send("40" + JSON.stringify({ token: authToken }));
  let sent = 0;
  for (; sent < budget && !closed; sent++) {
    ws.send(frame());
    if (sent % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  if (!closed) ws.close();
  await done;
  return { sent, sessions: 1 };
}

/** A hostile client: opens session after session until it has sent its frames. */
async function fuzzer(authToken) {
  let sent = 0;
  let sessions = 0;
  while (sent < framesPerFuzzer) {
    const r = await session(authToken, framesPerFuzzer - sent);
    sent += Math.max(1, r.sent);
    sessions += r.sessions;
  }
  return { sent, sessions };
}

const alice = await connect(url, await token("alice"));
const bob = await connect(url, await token("bob"));
const room = (await request(alice, "create-room", { name: "fuzzed", kind: "public" })).room;
await request(alice, "join-room", { roomId: room.id });
await request(bob, "join-room", { roomId: room.id });

const fuzzers = [];
for (let i = 0; i < fuzzerCount; i++) fuzzers.push(fuzzer(await token(`fuzz${i}`)));

let delivered = 0;
for (let i = 0; i < 20; i++) {
  const clientMsgId = randomUUID();
  const seen = waitFor(bob, "room-message-confirmed", (p) => p.tempId === clientMsgId);
  const ack = await request(alice, "send-message", { roomId: room.id, clientMsgId, body: `still fine ${i}` });
  if (ack.ok) { await seen; delivered++; }
  await new Promise((r) => setTimeout(r, 120));
}
const results = await Promise.all(fuzzers);
const health = (await fetch(`${url}/health`)).status;
console.log(JSON.stringify({ delivered, health, framesSent: results.reduce((n, r) => n + r.sent, 0),
  sessions: results.reduce((n, r) => n + r.sessions, 0) }));
alice.disconnect();
bob.disconnect();
process.exit(0);
