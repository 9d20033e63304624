// The foundation scenario of Switchboard, driven by the official socket.io-client.
// Usage: node chat-scenario.mjs <gateway url> <service token> [<JWT secret>]
// Tokens come from the gateway's /dev/token (dev mode), or are signed here with the JWT secret.
// Prints one JSON object with what each client observed; the Java test asserts on it.
import { io } from "socket.io-client";
import { createHmac, randomUUID } from "node:crypto";

const url = process.argv[2];
const serviceToken = process.argv[3];
const jwtSecret = process.argv[4];
const TIMEOUT = 10_000;

function signedToken(user) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: user, name: user, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", jwtSecret).update(unsigned).digest("base64url")}`;
}

async function devToken(user) {
  if (jwtSecret) return signedToken(user);
  const res = await fetch(`${url}/dev/token?user=${encodeURIComponent(user)}`);
  if (!res.ok) throw new Error(`dev token for ${user}: HTTP ${res.status}`);
  return (await res.json()).token;
}

function connect(token, transports) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports, reconnection: false, timeout: TIMEOUT });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => { socket.close(); reject(err); });
  });
}

const request = (socket, event, payload) => socket.timeout(TIMEOUT).emitWithAck(event, payload);

function waitFor(socket, event, predicate = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT} ms`)), TIMEOUT);
    const listener = (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

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
