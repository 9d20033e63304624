// The chat operations of PROTOCOL.md section 3 across two users, a third user without rights and a
// user of another tenant. Prints what each observed, as JSON.
// Usage: node messaging-scenario.mjs <gateway url> [<JWT secret>]
import { randomUUID } from "node:crypto";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [url, jwtSecret] = process.argv.slice(2);
const token = tokens(url, jwtSecret);
const out = {};

const alice = await connect(url, await token("alice"));
const bob = await connect(url, await token("bob"));
const carol = await connect(url, await token("carol"));
const eve = await connect(url, await token("eve", "other-tenant"));

const room = (await request(alice, "create-room", { name: "team", kind: "group", members: ["bob", "carol"] })).room;
out.room = room;
for (const s of [alice, bob, carol]) await request(s, "join-room", { roomId: room.id });

// Bob sends; Alice (room admin) and Carol (member) see it.
const sent = await request(bob, "send-message", { roomId: room.id, clientMsgId: randomUUID(), body: "first draft" });
out.sent = sent;

// Carol may not edit or delete Bob's message; Bob may edit it and everyone sees the update.
out.carolEdit = await request(carol, "edit-message", { roomId: room.id, id: sent.id, body: "carol was here" });
out.carolDelete = await request(carol, "delete-message", { roomId: room.id, id: sent.id });
const updatedAtAlice = waitFor(alice, "room-message-updated");
out.bobEdit = await request(bob, "edit-message", { roomId: room.id, id: sent.id, body: "final text" });
out.updatedAtAlice = await updatedAtAlice;

// Alice, the room's admin, deletes it; Carol sees the delete.
const deletedAtCarol = waitFor(carol, "room-message-deleted");
out.aliceDelete = await request(alice, "delete-message", { roomId: room.id, id: sent.id });
out.deletedAtCarol = await deletedAtCarol;

// History pages; read receipts.
for (let i = 0; i < 5; i++) await request(alice, "send-message", { roomId: room.id, clientMsgId: randomUUID(), body: `m${i}` });
out.latestPage = await request(carol, "fetch-history", { roomId: room.id, limit: 3 });
out.olderPage = await request(carol, "fetch-history", { roomId: room.id, beforeSeq: out.latestPage.messages[0].seq, limit: 3 });
const receipt = waitFor(alice, "read-receipt");
out.markRead = await request(carol, "mark-read", { roomId: room.id, seq: 4 });
out.receipt = await receipt;
out.rejoinCarol = await request(carol, "join-room", { roomId: room.id });

// Another tenant sees nothing: the room does not exist for Eve.
out.eveJoin = await request(eve, "join-room", { roomId: room.id });
out.eveSend = await request(eve, "send-message", { roomId: room.id, clientMsgId: randomUUID(), body: "hi" });
out.eveHistory = await request(eve, "fetch-history", { roomId: room.id });

// A persist-first room: members get the message once, already with its seq, and no confirmation.
const durable = (await request(alice, "create-room", { name: "announcements", kind: "group", members: ["bob"], delivery: "persist_first" })).room;
await request(alice, "join-room", { roomId: durable.id });
await request(bob, "join-room", { roomId: durable.id });
let bobConfirms = 0;
bob.on("room-message-confirmed", (p) => { if (p.roomId === durable.id) bobConfirms++; });
const createdAtBob = waitFor(bob, "room-message-created", (p) => p.new.roomId === durable.id);
out.durableAck = await request(alice, "send-message", { roomId: durable.id, clientMsgId: randomUUID(), body: "durable first" });
out.durableCreated = await createdAtBob;
out.durableConfirms = bobConfirms;

for (const s of [alice, bob, carol, eve]) s.disconnect();
console.log(JSON.stringify(out));
process.exit(0);
