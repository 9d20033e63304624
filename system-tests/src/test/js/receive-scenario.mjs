// How each socket receives other members' messages (docs/protocol.md, "Receiving"): Bob asks for
// durable at CONNECT, Carol at join-room, Dave keeps the default. Alice sends three messages. Prints
// the message events each receiver saw, in order, as JSON.
// Usage: node receive-scenario.mjs <gateway url>
import { randomUUID } from "node:crypto";
import { connect, request, tokens, until } from "./lib.mjs";

const [url] = process.argv.slice(2);
const token = tokens(url);
const alice = await connect(url, await token("alice"));
const bob = await connect(url, await token("bob"), ["websocket"], { receive: "durable" });
const carol = await connect(url, await token("carol"));
const dave = await connect(url, await token("dave"));
const room = (await request(alice, "create-room", { name: "receivers", kind: "public" })).room;
const joins = {};
joins.alice = await request(alice, "join-room", { roomId: room.id });
joins.bob = await request(bob, "join-room", { roomId: room.id });
joins.carol = await request(carol, "join-room", { roomId: room.id, receive: "durable" });
joins.dave = await request(dave, "join-room", { roomId: room.id });

const seen = { alice: [], bob: [], carol: [], dave: [] };
for (const [name, socket] of Object.entries({ alice, bob, carol, dave })) {
  socket.on("room-message-created", (e) => seen[name].push({ event: "created", optimistic: e.new.optimistic, seq: e.new.seq ?? null, body: e.new.body }));
  socket.on("room-message-confirmed", (e) => seen[name].push({ event: "confirmed", seq: e.seq }));
  socket.on("room-message-failed", (e) => seen[name].push({ event: "failed", code: e.code }));
}
const acks = [];
for (let i = 1; i <= 3; i++) {
  acks.push(await request(alice, "send-message", { roomId: room.id, clientMsgId: randomUUID(), body: `m${i}` }));
}
// Each receiver's last expected event: Dave's third confirmation, Bob's and Carol's third message.
await until(() => seen.dave.filter((e) => e.event === "confirmed").length === 3
  && seen.bob.length >= 3 && seen.carol.length >= 3);
// Events of one message reach a socket in order (an optimistic copy before anything durable), so
// anything unexpected would be in these lists already.
console.log(JSON.stringify({ joins, acks, seen }));
for (const s of [alice, bob, carol, dave]) s.disconnect();
process.exit(0);
