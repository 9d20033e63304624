// Reactions across two gateways, driven by the official socket.io-client.
// Usage: node reactions-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice is on A; Bob has a phone on A and a laptop on B; Carol is on B and receives durable. Prints one
// JSON object with what each socket observed; the Java test asserts on it.
import { randomUUID } from "node:crypto";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [urlA, urlB, jwtSecret] = process.argv.slice(2);
const token = tokens(urlA, jwtSecret);
const run = randomUUID().slice(0, 8);
const id = (name) => `${name}-${run}`;
const on = async (url, name, auth) => connect(url, await token(id(name)), ["websocket"], auth);

const alice = await on(urlA, "alice");
const bobPhone = await on(urlA, "bob");
const bobLaptop = await on(urlB, "bob");
const carol = await on(urlB, "carol", { receive: "durable" });
const sockets = { alice, bobPhone, bobLaptop, carol };

const out = {};
const { room } = await request(alice, "create-room", { name: "team", kind: "group", members: [id("bob"), id("carol")] });
const roomId = room.id;
for (const s of Object.values(sockets)) await request(s, "join-room", { roomId });

// What each socket receives of the room's reactions, in arrival order.
const seen = Object.fromEntries(Object.keys(sockets).map((name) => [name, []]));
for (const [name, socket] of Object.entries(sockets)) {
  socket.on("message-reaction", (e) => e.roomId === roomId
    && seen[name].push(`${e.userId.replace(/-.*/, "")} ${e.added ? "+" : "-"}${e.emoji} v${e.version}`));
}
const react = (socket, event, messageId, emoji) => request(socket, event, { roomId, messageId, emoji });

const heard = waitFor(carol, "room-message-created", (e) => e.new.roomId === roomId);
const sent = await request(alice, "send-message", { roomId, clientMsgId: randomUUID(), body: "ship it?" });
await heard;
const messageId = sent.id;

// Bob reacts from his phone (A): everyone in the room hears it on both gateways, his laptop too, his phone
// from its ack.
const toldOthers = [alice, bobLaptop, carol].map((s) => waitFor(s, "message-reaction", (e) => e.version === 1));
out.bobAck = await react(bobPhone, "add-reaction", messageId, "👍");
out.told = await Promise.all(toldOthers);
out.bobAgain = await react(bobLaptop, "add-reaction", messageId, "👍");
const toldThird = [bobPhone, bobLaptop, carol].map((s) => waitFor(s, "message-reaction", (e) => e.version === 3));
out.carolAck = await react(carol, "add-reaction", messageId, "👍");
out.aliceAck = await react(alice, "add-reaction", messageId, "🎉");
await Promise.all(toldThird);
out.removeAck = await react(bobLaptop, "remove-reaction", messageId, "👍");

// Carol reads history; a new device of hers catches up with join-room {sinceSeq}: both carry the reactions.
out.history = await request(carol, "fetch-history", { roomId });
const carolTablet = await on(urlA, "carol");
out.missed = await request(carolTablet, "join-room", { roomId, sinceSeq: 0 });
carolTablet.close();

// Bad input: an emoji that is not one, a message of no room of hers, a deleted message.
out.badEmoji = await react(bobPhone, "add-reaction", messageId, "two words");
out.unknown = await react(bobPhone, "add-reaction", randomUUID(), "👍");
await request(alice, "delete-message", { roomId, id: messageId });
out.deleted = await react(bobPhone, "add-reaction", messageId, "👍");

// An ack asked of each socket now is written after anything of the room that went to it.
await Promise.all(Object.values(sockets).map((s) => request(s, "list-rooms", {})));
out.seen = seen;
for (const s of Object.values(sockets)) s.close();
console.log(JSON.stringify(out));
