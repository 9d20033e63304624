// Mutes and bans across two gateways, driven by the official socket.io-client.
// Usage: node moderation-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice (the owner) and Carol are on A; Bob has a phone on A, a laptop on B and a tablet on B that is
// in no room; Dan has a phone on B in the room and a laptop on A that is not. Prints one JSON object
// with what each socket observed; the Java test asserts on it.
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
const bobTablet = await on(urlB, "bob");
const danPhone = await on(urlB, "dan");
const danLaptop = await on(urlA, "dan");

const out = {};
const { room } = await request(alice, "create-room", { name: "team", kind: "group", members: [id("bob"), id("carol"), id("dan")] });
const roomId = room.id;
const inRoom = { alice, carol, bobPhone, bobLaptop, danPhone };
for (const s of Object.values(inRoom)) await request(s, "join-room", { roomId });

// What each socket receives of the room, in arrival order.
const sockets = { ...inRoom, bobTablet, danLaptop };
const seen = Object.fromEntries(Object.keys(sockets).map((name) => [name, []]));
for (const [name, socket] of Object.entries(sockets)) {
  socket.on("room-message-created", (e) => e.new.roomId === roomId
    && seen[name].push(e.new.hidden ? `hidden ${e.new.seq} ${e.new.senderId}` : `created ${e.new.body}`));
  socket.on("room-message-confirmed", (e) => e.roomId === roomId && seen[name].push(`confirmed ${e.seq}`));
  socket.on("room-message-failed", (e) => e.roomId === roomId && seen[name].push(`failed ${e.code}`));
  for (const event of ["room-member-muted", "room-member-unmuted", "room-member-banned"]) {
    socket.on(event, (e) => e.roomId === roomId && seen[name].push(`${event} ${e.seq}`));
  }
}
const send = (socket, body) => request(socket, "send-message", { roomId, clientMsgId: randomUUID(), body });

// Bob is muted: every device of his hears it, on both gateways, in the room or not.
const mutedOn = [bobPhone, bobLaptop, bobTablet, carol, danPhone].map((s) => waitFor(s, "room-member-muted"));
out.muteAck = await request(alice, "mute-member", { roomId, userId: id("bob"), durationSeconds: 600 });
out.mutedEvents = await Promise.all(mutedOn);
// Each gateway learnt it in the room's order: both refuse his sends at once, with the mute's end.
out.refusedOnA = await send(bobPhone, "spam from A");
out.refusedOnB = await send(bobLaptop, "spam from B");

const unmutedOn = [bobLaptop, carol, danPhone].map((s) => waitFor(s, "room-member-unmuted"));
out.unmuteAck = await request(alice, "unmute-member", { roomId, userId: id("bob") });
await Promise.all(unmutedOn);
const heardBack = [carol, danPhone].map((s) => waitFor(s, "room-message-confirmed", (e) => e.roomId === roomId));
out.backAck = await send(bobLaptop, "back");
await Promise.all(heardBack);

// Dan is banned: both his devices hear it, on both gateways; his phone leaves the room.
const bannedOn = [danPhone, danLaptop, carol, bobLaptop].map((s) => waitFor(s, "room-member-banned"));
out.banAck = await request(alice, "ban-member", { roomId, userId: id("dan") });
out.bannedEvents = await Promise.all(bannedOn);
const heardAfter = [alice, bobLaptop].map((s) => waitFor(s, "room-message-confirmed", (e) => e.roomId === roomId && e.seq === 5));
out.afterAck = await send(carol, "after the ban");
await Promise.all(heardAfter);
// Bob blocks Carol from his laptop (B): both his devices, on both gateways, get her next message as a
// placeholder with its seq; Alice gets it whole.
const blocksOn = [bobPhone, bobLaptop].map((s) => waitFor(s, "user-blocks-changed"));
out.blockAck = await request(bobLaptop, "block-user", { userId: id("carol") });
out.blocksEvents = await Promise.all(blocksOn);
const hiddenOn = [bobPhone, bobLaptop].map((s) => waitFor(s, "room-message-created", (e) => e.new.roomId === roomId && e.new.hidden));
const aliceHears = waitFor(alice, "room-message-confirmed", (e) => e.roomId === roomId && e.seq === 6);
out.secretAck = await send(carol, "not for bob");
out.hiddenEvents = (await Promise.all(hiddenOn)).map((e) => e.new);
await aliceHears;
// An ack asked of each socket now is written after anything of the room that went to it.
await Promise.all(Object.values(sockets).map((s) => request(s, "list-rooms", {})));
out.danTyping = await request(danPhone, "typing", { roomId, isTyping: true });
out.danJoin = await request(danLaptop, "join-room", { roomId });
out.seen = seen;

for (const s of Object.values(sockets)) s.close();
console.log(JSON.stringify(out));
