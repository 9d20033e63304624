// A scripted chat session plus the operator's view of it: admin API and JSON stats.
// Usage: node ops-scenario.mjs <gateway url> <admin token> <gateway ops url>
import { randomUUID } from "node:crypto";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [url, adminToken, opsUrl] = process.argv.slice(2);
const token = tokens(url);
const out = {};
const admin = async (method, path, body, auth = adminToken, base = url) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? await res.json() : null };
};

try {
  await connect(url, "not-a-token");
} catch (err) {
  out.refused = err.data;
}
const alice = await connect(url, await token("alice"));
const bob = await connect(url, await token("bob"));
const room = (await request(alice, "create-room", { name: "ops", kind: "group", members: ["bob"] })).room;
await request(alice, "join-room", { roomId: room.id });
await request(bob, "join-room", { roomId: room.id });
out.acks = [];
for (let i = 0; i < 3; i++) {
  const confirmed = waitFor(bob, "room-message-confirmed");
  out.acks.push(await request(alice, "send-message", { roomId: room.id, clientMsgId: randomUUID(), body: `m${i}` }));
  await confirmed;
}

out.noToken = await admin("GET", "/admin/connections", null, null);
out.wrongToken = await admin("GET", "/admin/connections", null, "wrong");
out.connections = await admin("GET", "/admin/connections");
out.bobConnections = await admin("GET", "/admin/connections?user=bob");
out.room = await admin("GET", `/admin/rooms/${room.id}`);
out.nodes = await admin("GET", "/admin/nodes");
out.socketMetrics = await (await fetch(`${opsUrl}/socket-metrics`)).json();
out.socketHealth = await (await fetch(`${opsUrl}/socket-health`)).json();
out.publicMetrics = (await fetch(`${url}/metrics`)).status;
out.publicSocketMetricsWithoutToken = (await fetch(`${url}/socket-metrics`)).status;
out.publicSocketMetricsWithToken = (await admin("GET", "/socket-metrics")).status;
out.logLevelWithoutToken = (await admin("PUT", "/admin/log-level?logger=io.switchboard&level=TRACE", null, null, opsUrl)).status;
out.logLevel = await admin("PUT", "/admin/log-level?logger=io.switchboard&level=DEBUG", null, adminToken, opsUrl);
// With DEBUG on, one message is traced through the gateway and message-service logs.
const traced = randomUUID();
await request(alice, "send-message", { roomId: room.id, clientMsgId: traced, body: "traced" });
out.correlationId = `${alice.id}/${traced}`;

const bobGone = new Promise((resolve) => bob.once("disconnect", resolve));
out.disconnect = await admin("POST", "/admin/disconnect", { userId: "bob" });
out.bobReason = await bobGone;
alice.disconnect();
// The server has seen both disconnects once its connection count is back to zero.
for (let tries = 0; (await (await fetch(`${opsUrl}/socket-metrics`)).json()).connections.total > 0; tries++) {
  if (tries > 200) throw new Error("connections did not drop to zero");
  await new Promise((r) => setImmediate(r));
}
console.log(JSON.stringify(out));
process.exit(0);
