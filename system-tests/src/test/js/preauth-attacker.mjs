// Unauthenticated peers, in their own process, each kind from its own loopback address: what a
// gateway meets from the internet before any token is checked. All at once:
// - idle: sessions that never CONNECT (answering every ping), more than the address may open;
// - binary: sessions that announce a packet of 16 binary attachments before CONNECT, then send 15;
// - slowHeaders: HTTP requests whose headers never end, a line every 500 ms;
// - slowBody: polling POSTs whose body never ends, a byte every 500 ms;
// - connectLoop: sessions that send CONNECT with a bad token again after every refusal.
// Prints "attacking" once started, then what each met, as JSON. Gives up on anything after 8 s.
// Usage: node preauth-attacker.mjs <gateway url>
import http from "node:http";
import net from "node:net";
import WebSocket from "ws";

const [url] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const GIVE_UP_MS = 8_000;
const ADDRESS = { idle: "127.0.0.2", binary: "127.0.0.3", slowHeaders: "127.0.0.4", slowBody: "127.0.0.5", connectLoop: "127.0.0.6" };
const started = performance.now();
const elapsed = (since) => Math.round(performance.now() - since);
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), 0);
const count = (xs, f) => xs.filter(f).length;

/**
 * An Engine.IO WebSocket session. Resolves with how it ended: refused at the handshake (status and
 * body), or closed (by the server, or by giving up) with its lifetime from the open packet.
 * {@code onOpen(ws, next)} drives it; next() resolves with the next non-ping text frame, or null once closed.
 */
function session(localAddress, onOpen) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${hostname}:${port}/socket.io/?EIO=4&transport=websocket`, { localAddress });
    const frames = [];
    let waiting = null;
    let openedAt = 0;
    let done = false;
    const finish = (result) => { if (!done) { done = true; clearTimeout(giveUp); resolve(result); } };
    const giveUp = setTimeout(() => { finish({ opened: !!openedAt, gaveUp: true }); ws.terminate(); }, GIVE_UP_MS);
    const next = () => new Promise((r) => { if (frames.length) r(frames.shift()); else if (ws.readyState > 1) r(null); else waiting = r; });
    ws.on("unexpected-response", (req, res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => { finish({ refused: res.statusCode, body }); req.destroy(); });
    });
    ws.on("error", () => {});
    ws.on("message", (data) => {
      const text = String(data);
      if (!openedAt && text.startsWith("0{")) {
        openedAt = performance.now();
        onOpen?.(ws, next);
      } else if (text === "2") {
        ws.send("3");
      } else if (waiting) {
        const w = waiting; waiting = null; w(text);
      } else {
        frames.push(text);
      }
    });
    ws.on("close", () => {
      if (waiting) { const w = waiting; waiting = null; w(null); }
      finish({ opened: !!openedAt, lifetimeMs: openedAt ? elapsed(openedAt) : null });
    });
  });
}

/** A raw TCP HTTP request that writes {@code head} then {@code drip} every 500 ms; resolves when the server closes. */
function slowRequest(localAddress, head, drip) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), localAddress });
    let since = 0;
    let done = false;
    const finish = (result) => { if (!done) { done = true; clearInterval(dripper); clearTimeout(giveUp); resolve(result); } };
    const dripper = setInterval(() => { if (since) socket.write(drip); }, 500);
    const giveUp = setTimeout(() => { finish({ gaveUp: true }); socket.destroy(); }, GIVE_UP_MS);
    socket.on("connect", () => { since = performance.now(); socket.write(head); });
    socket.on("error", () => {});
    socket.on("data", () => {});
    socket.on("close", () => finish({ closedAfterMs: elapsed(since) }));
  });
}

function pollingHandshake(localAddress) {
  return new Promise((resolve, reject) => {
    http.get({ host: hostname, port, path: "/socket.io/?EIO=4&transport=polling", localAddress }, (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => resolve(JSON.parse(body.substring(1)).sid));
    }).on("error", reject);
  });
}

const idle = Array.from({ length: 300 }, () => session(ADDRESS.idle));

const placeholders = Array.from({ length: 16 }, (_, num) => ({ _placeholder: true, num }));
let attachmentBytesSent = 0;
const binary = Array.from({ length: 50 }, () => session(ADDRESS.binary, async (ws, next) => {
  ws.send(`4516-${JSON.stringify(["upload", ...placeholders])}`);
  // The server answers nothing to a well-formed header: it either closes the session or waits.
  const closed = await Promise.race([next().then(() => true), new Promise((r) => setTimeout(() => r(false), 1_000))]);
  if (closed || ws.readyState !== WebSocket.OPEN) return;
  for (let i = 0; i < 15 && ws.readyState === WebSocket.OPEN; i++) {
    ws.send(Buffer.alloc(150 * 1024, i));
    attachmentBytesSent += 150 * 1024;
  }
}));

const slowHeaders = Array.from({ length: 100 }, () => slowRequest(ADDRESS.slowHeaders,
  `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: ${hostname}\r\n`, "X-Slow: 1\r\n"));

const slowBody = Array.from({ length: 50 }, async () => {
  const sid = await pollingHandshake(ADDRESS.slowBody);
  return slowRequest(ADDRESS.slowBody, `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: ${hostname}\r\n`
    + `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 100000\r\n\r\n4${"x".repeat(1000)}`, "x");
});

const codes = {};
const connectLoop = Array.from({ length: 5 }, () => {
  let attempts = 0;
  return session(ADDRESS.connectLoop, async (ws, next) => {
    while (attempts < 200 && ws.readyState === WebSocket.OPEN) {
      attempts++;
      ws.send(`40${JSON.stringify({ token: `guess-${attempts}` })}`);
      const answer = await next();
      if (answer === null) break;
      const code = answer.startsWith("44") ? JSON.parse(answer.substring(2)).data?.code : answer;
      codes[code] = (codes[code] ?? 0) + 1;
    }
  }).then((result) => ({ ...result, attempts }));
});
process.stdout.write("attacking\n");

const [idleR, binaryR, headersR, bodyR, loopR] = await Promise.all([idle, binary, slowHeaders, slowBody, connectLoop]
  .map((xs) => Promise.all(xs)));
const refusedIdle = idleR.filter((r) => r.refused);
console.log(JSON.stringify({
  idle: {
    opened: count(idleR, (r) => r.opened), refused: refusedIdle.length,
    refusedStatus: [...new Set(refusedIdle.map((r) => r.refused))], refusedBody: refusedIdle[0]?.body ?? null,
    gaveUp: count(idleR, (r) => r.gaveUp), maxLifetimeMs: max(idleR.map((r) => r.lifetimeMs ?? 0)),
  },
  binary: { opened: count(binaryR, (r) => r.opened), gaveUp: count(binaryR, (r) => r.gaveUp),
    maxLifetimeMs: max(binaryR.map((r) => r.lifetimeMs ?? 0)), attachmentBytesSent },
  slowHeaders: { closed: count(headersR, (r) => !r.gaveUp), maxClosedAfterMs: max(headersR.map((r) => r.closedAfterMs ?? 0)) },
  slowBody: { closed: count(bodyR, (r) => !r.gaveUp), maxClosedAfterMs: max(bodyR.map((r) => r.closedAfterMs ?? 0)) },
  connectLoop: { sessions: loopR.length, closed: count(loopR, (r) => !r.gaveUp), maxAttempts: max(loopR.map((r) => r.attempts)),
    totalAttempts: loopR.reduce((n, r) => n + r.attempts, 0), codes },
  tookMs: elapsed(started),
}));
process.exit(0);
