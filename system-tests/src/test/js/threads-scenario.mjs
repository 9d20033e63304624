// Threads and message search across two gateways, driven by the official socket.io-client.
// Usage: node threads-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice is on A; Bob on B receives durable; Carol on B is in another room of Alice's. Prints one JSON
// object with what each socket observed; the Java test asserts on it.
import { randomUUID } from "node:crypto";
import { connect, request, tokens, until, waitFor } from "./lib.mjs";

const [urlA, urlB, jwtSecret] = process.argv.slice(2);
const token = tokens(urlA, jwtSecret);
const run = randomUUID().slice(0, 8);
const id = (name) => `${name}-${run}`;
const word = `zephyr${run}`;

const alice = await connect(urlA, await token(id("alice")));
const bob = await connect(urlB, await token(id("bob")), ["websocket"], { receive: "durable" });
const carol = await connect(urlB, await token(id("carol")));
const out = {};
const { room } = await request(alice, "create-room", { name: "team", kind: "group", members: [id("bob")] });
const { room: other } = await request(alice, "create-room", { name: "other", kind: "group", members: [id("carol")] });
for (const [s, r] of [[alice, room], [bob, room], [alice, other], [carol, other]]) await request(s, "join-room", { roomId: r.id });
const send = (s, r, body, replyTo) => request(s, "send-message", { roomId: r.id, clientMsgId: randomUUID(), body, ...(replyTo ? { replyTo } : {}) });

// Alice (A) asks; Bob (B) replies in the thread: Alice hears thread-updated across gateways, twice.
const heard = waitFor(bob, "room-message-created", (e) => e.new.roomId === room.id);
out.root = await send(alice, room, `who takes the ${word} release?`);
await heard;
const updates = [];
alice.on("thread-updated", (e) => e.roomId === room.id && updates.push(e));
out.reply1 = await send(bob, room, "I do", out.root.id);
out.reply2 = await send(bob, room, `the ${word} notes too`, out.root.id);
// One event per reply; each tells the thread as it was when read, after its reply's commit.
await until(() => updates.length === 2);
out.updates = updates;
out.thread = await request(alice, "fetch-thread", { roomId: room.id, messageId: out.root.id });
out.history = await request(bob, "fetch-history", { roomId: room.id });
// A reply to a message of another room is refused, and stored nowhere.
const otherMessage = await send(carol, other, `carol's ${word}`);
out.crossRoom = await send(alice, room, "wrong thread", otherMessage.id);

// Search from each gateway: each user finds the messages of their own rooms only.
out.aliceSearch = await request(alice, "search-messages", { query: word });
out.bobSearch = await request(bob, "search-messages", { query: word });
out.carolSearch = await request(carol, "search-messages", { query: word });
out.tooLong = await request(bob, "search-messages", { query: "x".repeat(201) });

for (const s of [alice, bob, carol]) s.close();
console.log(JSON.stringify(out));
