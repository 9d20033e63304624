// Who gets in and who does not: every connection refusal code, token expiry and refresh, the admin
// role. Tokens are RS256, signed here with the private key whose public half the gateway has as JWKS.
// Usage: node security-scenario.mjs <gateway url> <private key PEM file> <kid> <issuer> <audience> <admin token>
import { createSign, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { io } from "socket.io-client";
import { TIMEOUT, request, until } from "./lib.mjs";

const [url, keyFile, kid, issuer, audience, operatorToken] = process.argv.slice(2);
const privateKey = readFileSync(keyFile, "utf8");
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

function rs256(claims) {
  const unsigned = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64({ iss: issuer, aud: audience, ...claims })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey, "base64url")}`;
}

function hs256(claims, secret) {
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iss: issuer, aud: audience, ...claims })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/**
 * Connects and resolves with the socket, or with the refusal: a CONNECT_ERROR's data.code, or the
 * HTTP status of a refused handshake (the official client reports it as a "websocket error").
 */
function attempt(token, localAddress = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true,
      timeout: TIMEOUT, localAddress });
    socket.once("connect", () => resolve({ socket }));
    socket.once("connect_error", (err) => {
      socket.close();
      const status = /server response: (\d+)/.exec(String(err.description?.message ?? ""))?.[1];
      resolve({ refused: err.data?.code ?? (status ? `HTTP ${status}` : err.message) });
    });
  });
}

/** A raw handshake from {@code localAddress}: its status and the code of a refusal's body. */
function handshake(localAddress) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    http.get({ host: hostname, port, path: "/socket.io/?EIO=4&transport=polling", localAddress }, (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => resolve({ status: res.statusCode, code: res.statusCode === 200 ? null : JSON.parse(body).data?.code }));
    }).on("error", reject);
  });
}
// The public port shows its figures to the operator's token only.
const sessions = async () => (await (await fetch(`${url}/socket-metrics`,
  { headers: { authorization: `Bearer ${operatorToken}` } })).json()).connections;
/** Until every session is a connected socket: the refused ones' clients have closed theirs. */
const settled = () => until(async () => { const c = await sessions(); return c.sessions === c.total; });
// Each user in a tenant of their own, so that only the "small" tenant meets the per-tenant limit.
const user = (sub, extra = {}) => rs256({ sub, tenant: `t-${sub}`, exp: now() + 3600, ...extra });
const out = {};

out.expired = (await attempt(rs256({ sub: "late", exp: now() - 60 }))).refused;
out.wrongKey = (await attempt(hs256({ sub: "forger", exp: now() + 3600 }, "guess"))).refused;
out.wrongIssuer = (await attempt(rs256({ sub: "alien", exp: now() + 3600, iss: "someone-else" }))).refused;
out.noSub = (await attempt(rs256({ exp: now() + 3600 }))).refused;
const ok = await attempt(user("alice"));
out.valid = ok.socket ? "connected" : ok.refused;

const small = [];
for (let i = 0; i < 3; i++) small.push(await attempt(user(`s${i}`, { tenant: "small" })));
out.tenant = small.map((r) => (r.socket ? "connected" : r.refused));

// Sessions count from the handshake: the per-address limit and the capacity refuse handshakes.
const crowd = [];
for (let i = 0; i < 6; i++) crowd.push(await attempt(user(`ip${i}`), "127.0.0.2"));
out.address = crowd.map((r) => (r.socket ? "connected" : r.refused));
out.addressHandshake = await handshake("127.0.0.2");

// 1 + 2 + 5 = 8 open; capacity is 12.
await settled();
const fill = [];
for (let i = 0; i < 5; i++) fill.push(await attempt(user(`f${i}`), "127.0.0.3"));
out.capacity = fill.map((r) => (r.socket ? "connected" : r.refused));
out.capacityHandshake = await handshake("127.0.0.4");
for (const r of [...small, ...crowd, ...fill]) r.socket?.close();
// Wait until the gateway has seen those disconnects (only alice's socket is left).
await until(async () => { const c = await sessions(); return c.total === 1 && c.sessions === 1; });

// Two sessions whose tokens expire in 2 s: one refreshes in time and stays, the other is told and cut off.
const refresher = (await attempt(user("bob", { exp: now() + 2 }))).socket;
const sleeper = (await attempt(user("carol", { exp: now() + 2 }))).socket;
out.refresh = await request(refresher, "refresh-token", { token: user("bob") });
out.refreshOtherUser = await request(refresher, "refresh-token", { token: user("mallory") });
const told = new Promise((resolve) => sleeper.once("token-expired", resolve));
const cut = new Promise((resolve) => sleeper.once("disconnect", resolve));
out.tokenExpired = await told;
out.expiredReason = await cut;
out.refresherStillServed = await request(refresher, "create-room", { name: "after", kind: "group" });

// The admin API: a client token with the admin role makes an admin of its own tenant only (alice's
// here; bob's session is in another tenant); the cluster-wide views and drain need the operator's token.
const admin = (token, path, body) => fetch(`${url}/admin/${path}`, {
  method: body ? "POST" : "GET", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  body: body ? JSON.stringify(body) : undefined,
}).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
const tenantAdmin = user("root", { role: "admin", tenant: "t-alice" });
const own = await admin(tenantAdmin, "connections");
out.tenantAdminConnections = { status: own.status, total: own.body?.total,
  tenants: [...new Set(own.body?.nodes.flatMap((n) => n.connections.map((c) => c.tenant)))] };
out.tenantAdminOtherTenant = (await admin(tenantAdmin, "connections?tenant=t-bob")).status;
out.tenantAdminNodes = (await admin(tenantAdmin, "nodes")).status;
out.tenantAdminDrain = (await admin(tenantAdmin, "drain", {})).status;
const cut2 = await admin(tenantAdmin, "disconnect", { userId: "bob" });
out.tenantAdminDisconnectOther = { status: cut2.status, total: cut2.body?.total };
out.otherTenantStillServed = await request(refresher, "create-room", { name: "still here", kind: "group" });
out.operatorNodes = (await admin(operatorToken, "nodes")).status;
out.userRole = (await admin(user("alice"), "connections")).status;

for (const s of [ok.socket, refresher]) s?.close();
console.log(JSON.stringify(out));
process.exit(0);
