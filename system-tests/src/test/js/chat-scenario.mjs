// The foundation scenario of Switchboard, driven by the official socket.io-client.
// Usage: node chat-scenario.mjs <gateway url> <service token> [<JWT secret>]
// Tokens come from the gateway's /dev/token (dev mode), or are signed here with the JWT secret.
// Prints one JSON object with what each client observed; the Java test asserts on it.
import { randomUUID } from "node:crypto";
import { connect as connectTo, request, tokens, waitFor } from "./lib.mjs";

const [url, serviceToken, jwtSecret] = process.argv.slice(2);
const devToken = tokens(url, jwtSecret);
const connect = (token, transports) => connectTo(url, token, transports);

const out = {};
const alice = await connect(await devToken("alice"), ["polling", "websocket"]);
const bobToken = await devToken("bob");
const bob = await connect(bobToken, ["websocket"]);

const created = await request(alice, "create-room", { name: "e2e", kind: "group", members: ["bob"] });
const roomId = created.room.id;
out.roomId = roomId;
out.joinAlice = await request(alice, "join-room", { roomId });
out.joinBob = await request(bob, "join-room", { roomId });
out.presence = await request(bob, "get-presence", { roomId });

const bobEvents = [];
for (const name of ["room-message-created", "room-message-confirmed", "room-message-failed"]) {
  bob.on(name, (payload) => bobEvents.push({ name, payload }));
}
const aliceEchoes = [];
alice.on("room-message-created", (payload) => aliceEchoes.push(payload));

const clientMsgId = randomUUID();
out.clientMsgId = clientMsgId;
const confirmed = waitFor(bob, "room-message-confirmed", (p) => p.tempId === clientMsgId);
out.sendAck = await request(alice, "send-message", { roomId, clientMsgId, body: "  hello bob  " });
await confirmed;
out.bobEvents = [...bobEvents];
out.aliceEchoes = aliceEchoes.length;

// A retry of the same clientMsgId is acknowledged as a duplicate of the first.
out.retryAck = await request(alice, "send-message", { roomId, clientMsgId, body: "  hello bob  " });

// A bad request is answered, and the connection stays usable.
out.invalidAck = await request(alice, "send-message", { roomId, body: "" });
out.largeMetaAck = await request(alice, "send-message",
  { roomId, clientMsgId: randomUUID(), body: "with a large meta", meta: { blob: "x".repeat(5000) } });
out.unknownAck = await request(alice, "no-such-event", {});
out.afterInvalidAck = await request(alice, "send-message", { roomId, clientMsgId: randomUUID(), body: "still here" });
out.aliceTransport = alice.io.engine.transport.name;

// A bad token is refused with AUTH_FAILED.
try {
  await connect("not-a-token", ["websocket"]);
  out.badToken = { connected: true };
} catch (err) {
  out.badToken = { message: err.message, data: err.data };
}

// Bob reconnects and catches up from seq 0.
bob.disconnect();
const bob2 = await connect(bobToken, ["websocket"]);
out.rejoin = await request(bob2, "join-room", { roomId, sinceSeq: 0 });

// Another service publishes to Bob's private room over HTTP.
const publish = (headers, body) => fetch(`${url}/api/publish`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const sidebar = waitFor(bob2, "sidebar-refresh-requested");
out.publishNoToken = (await publish({}, { target: { user: "bob" }, event: "sidebar-refresh-requested", data: {} })).status;
out.publishWrongToken = (await publish({ authorization: "Bearer wrong" }, { target: { user: "bob" }, event: "sidebar-refresh-requested", data: {} })).status;
out.publishBadBody = (await publish({ authorization: `Bearer ${serviceToken}` }, { target: {}, event: "x" })).status;
out.publishAccepted = (await publish({ authorization: `Bearer ${serviceToken}` }, { target: { user: "bob" }, event: "sidebar-refresh-requested", data: { reason: "e2e" } })).status;
out.sidebar = await sidebar;

alice.disconnect();
bob2.disconnect();
console.log(JSON.stringify(out));
process.exit(0);
