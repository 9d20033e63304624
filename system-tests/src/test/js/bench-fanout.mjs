// Delivery latency and throughput across gateway processes, measured with the official client.
// Usage: node bench-fanout.mjs <gateway urls, comma separated> <JWT secret> '<options JSON>'
// Options: clients, roomSize, rate (messages per second, all senders together), seconds (measured),
// warmupSeconds. Client i connects straight to gateway i mod G (no balancer), so the share of
// deliveries that cross gateways is known: a delivery is "cross" when sender and receiver are on
// different gateway processes. Every client joins one room and sends into it.
// Latency is measured on one clock (one Node process): from the sender's emit to
// - created: the optimistic room-message-created at another member (the fan-out path: gateway,
//   event-bus publish, every gateway, sockets);
// - confirmed: room-message-confirmed at another member (message-service wrote it and announced it);
// - ack: the sender's ack (durable).
// Prints one JSON line with percentiles (ms) and rates.
import { randomUUID } from "node:crypto";
import { connect, request, tokens } from "./lib.mjs";

const [urlList, jwtSecret, json] = process.argv.slice(2);
const urls = urlList.split(",");
const opts = { clients: 60, roomSize: 10, rate: 100, seconds: 15, warmupSeconds: 3, ...JSON.parse(json ?? "{}") };
const token = tokens(urls[0], jwtSecret);
const prefix = `bench${Date.now().toString(36)}`;

const clients = [];
for (let i = 0; i < opts.clients; i++) {
  const gateway = i % urls.length;
  clients.push({ i, gateway, socket: await connect(urls[gateway], await token(`${prefix}-u${i}`)) });
}
const rooms = [];
for (let r = 0; r * opts.roomSize < opts.clients; r++) {
  const ack = await request(clients[r * opts.roomSize].socket, "create-room", { name: `${prefix}-${r}`, kind: "public" });
  rooms.push(ack.room.id);
}
for (const c of clients) {
  c.roomId = rooms[Math.floor(c.i / opts.roomSize)];
  await request(c.socket, "join-room", { roomId: c.roomId });
}

const sent = new Map(); // clientMsgId -> { t, gateway, measured }
const lat = { createdSame: [], createdCross: [], confirmedSame: [], confirmedCross: [], ack: [] };
let deliveries = 0;
let inversions = 0; // confirmations that arrived after one with a higher seq (one room per client)
let inversionsMeasured = 0; // of those, confirmations of messages sent in the measured window
let measuring = false;
for (const c of clients) {
  c.socket.on("room-message-created", (envelope) => {
    const s = sent.get(envelope.new.tempId);
    if (!s?.measured) return;
    deliveries++;
    (s.gateway === c.gateway ? lat.createdSame : lat.createdCross).push(performance.now() - s.t);
  });
  c.lastSeq = 0;
  c.socket.on("room-message-confirmed", (p) => {
    const s = sent.get(p.tempId);
    if (p.seq < c.lastSeq) {
      inversions++;
      if (s?.measured) inversionsMeasured++;
    }
    c.lastSeq = Math.max(c.lastSeq, p.seq);
    if (!s?.measured) return;
    (s.gateway === c.gateway ? lat.confirmedSame : lat.confirmedCross).push(performance.now() - s.t);
  });
}

let acked = 0, failed = 0, emitted = 0;
const periodMs = 1000 * opts.clients / opts.rate; // each client's interval
for (const c of clients) {
  const tick = () => {
    const clientMsgId = randomUUID();
    const s = { t: performance.now(), gateway: c.gateway, measured: measuring };
    sent.set(clientMsgId, s);
    if (s.measured) emitted++;
    c.socket.timeout(30_000).emit("send-message", { roomId: c.roomId, clientMsgId, body: "x".repeat(80) }, (err, ack) => {
      if (!s.measured) return;
      if (err || !ack.ok) failed++;
      else { acked++; lat.ack.push(performance.now() - s.t); }
    });
  };
  c.start = setTimeout(() => { tick(); c.interval = setInterval(tick, periodMs); }, Math.random() * periodMs);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await delay(opts.warmupSeconds * 1000);
measuring = true;
const started = performance.now();
await delay(opts.seconds * 1000);
measuring = false;
const measuredMs = performance.now() - started;
for (const c of clients) {
  clearTimeout(c.start);
  clearInterval(c.interval);
}
await delay(3000); // stragglers of the measured window

const pct = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] * 10) / 10;
};
const stats = (values) => ({ n: values.length, p50: pct(values, 50), p99: pct(values, 99), max: pct(values, 100) });
const expected = emitted * (opts.roomSize - 1);
console.log(JSON.stringify({
  gateways: urls.length, clients: opts.clients, roomSize: opts.roomSize, offeredRate: opts.rate,
  sentPerSec: Math.round(emitted / measuredMs * 1000), ackedPerSec: Math.round(acked / measuredMs * 1000), failed,
  deliveriesPerSec: Math.round(deliveries / measuredMs * 1000), deliveredShare: expected ? Math.round(deliveries / expected * 1000) / 1000 : null,
  createdSame: stats(lat.createdSame), createdCross: stats(lat.createdCross),
  confirmedSame: stats(lat.confirmedSame), confirmedCross: stats(lat.confirmedCross), ack: stats(lat.ack),
  seqInversions: inversions, seqInversionsMeasured: inversionsMeasured,
}));
for (const c of clients) c.socket.disconnect();
process.exit(0);
