// Members and roles across two gateways, driven by the official socket.io-client.
// Usage: node membership-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice and Carol are on A; Bob has a phone on A and a laptop on B; Dan is on B. Prints one JSON
// object with what each socket observed; the Java test asserts on it.
import { randomUUID } from "node:crypto";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [urlA, urlB, jwtSecret] = process.argv.slice(2);
const token = tokens(urlA, jwtSecret);
const run = randomUUID().slice(0, 8);
const id = (name) => `${name}-${run}`;
const on = async (url, name) => connect(url, await token(id(name)));

const alice = await on(urlA, "alice");
const carol = await on(urlA, "carol");
const bobPhone = await on(urlA, "bob");
const bobLaptop = await on(urlB, "bob");
const dan = await on(urlB, "dan");

const out = {};
const { room } = await request(alice, "create-room", { name: "team", kind: "group", members: [id("bob"), id("carol")] });
const roomId = room.id;
for (const s of [alice, carol, bobPhone, bobLaptop]) await request(s, "join-room", { roomId });

// What each socket receives of the room, in arrival order.
const seen = { alice: [], carol: [], bobPhone: [], bobLaptop: [], dan: [] };
const sockets = { alice, carol, bobPhone, bobLaptop, dan };
for (const [name, socket] of Object.entries(sockets)) {
  socket.on("room-message-created", (e) => e.new.roomId === roomId && seen[name].push(`created ${e.new.body}`));
  socket.on("room-message-confirmed", (e) => e.roomId === roomId && seen[name].push(`confirmed ${e.seq}`));
  for (const event of ["room-member-added", "room-member-removed", "room-member-role-changed"]) {
    socket.on(event, (e) => e.roomId === roomId && seen[name].push(`${event} ${e.seq}`));
  }
}

// Dan, on the other gateway and in no room yet, hears through his private room that he was added.
const danTold = waitFor(dan, "room-member-added", (e) => e.roomId === roomId);
out.addAck = await request(alice, "add-members", { roomId, userIds: [id("dan")] });
out.danTold = await danTold;
out.danJoin = await request(dan, "join-room", { roomId });

// Bob gets admin, then is removed by the owner: both his devices hear it, on both gateways.
out.roleAck = await request(alice, "set-member-role", { roomId, userId: id("bob"), role: "admin" });
const removedOn = [waitFor(bobPhone, "room-member-removed"), waitFor(bobLaptop, "room-member-removed")];
out.removeAck = await request(alice, "remove-member", { roomId, userId: id("bob") });
out.removedEvents = await Promise.all(removedOn);

// The next message reaches Carol (A) and Dan (B), never Bob's sockets: they left the room on both gateways.
const body = "after bob";
const heard = [waitFor(carol, "room-message-confirmed", (e) => e.roomId === roomId), waitFor(dan, "room-message-confirmed", (e) => e.roomId === roomId)];
out.sendAck = await request(alice, "send-message", { roomId, clientMsgId: randomUUID(), body });
await Promise.all(heard);
// An ack asked of each of Bob's sockets now is written after anything of the room that went to it.
await Promise.all([bobPhone, bobLaptop].map((s) => request(s, "list-rooms", {})));
out.bobTyping = await request(bobLaptop, "typing", { roomId, isTyping: true });
out.bobJoin = await request(bobLaptop, "join-room", { roomId });
out.members = await request(dan, "list-members", { roomId });
out.seen = seen;

for (const s of Object.values(sockets)) s.close();
console.log(JSON.stringify(out));
