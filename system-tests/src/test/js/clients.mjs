// Many official socket.io-client sockets, steered by the Java test one command per stdin line.
// Usage: node clients.mjs <JWT secret>
// Command: {"id", "op": "connect", "socket", "url", "user"} | {"id", "op": "emit", "socket", "event", "payload"}
//        | {"id", "op": "close", "socket"}
// Prints one JSON line per answer ({"re": id, ...}) and per event a socket receives
// ({"ev": name, "socket", "payload", "at": epoch ms}).
import { io } from "socket.io-client";
import { createHmac } from "node:crypto";
import { createInterface } from "node:readline";

const jwtSecret = process.argv[2];
const TIMEOUT = 10_000;
const sockets = new Map();
const print = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

function token(user) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: user, name: user, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", jwtSecret).update(unsigned).digest("base64url")}`;
}

function connect({ socket: name, url, user }) {
  return new Promise((resolve) => {
    const socket = io(url, { auth: { token: token(user) }, transports: ["websocket"], reconnection: false, timeout: TIMEOUT, forceNew: true });
    socket.onAny((event, payload) => print({ ev: event, socket: name, payload, at: Date.now() }));
    socket.once("connect", () => {
      sockets.set(name, socket);
      resolve({ connected: true, id: socket.id });
    });
    socket.once("connect_error", (err) => {
      socket.close();
      resolve({ connected: false, message: err.message, data: err.data ?? null });
    });
    socket.on("disconnect", (reason) => print({ ev: "disconnect", socket: name, payload: { reason }, at: Date.now() }));
  });
}

async function run(cmd) {
  switch (cmd.op) {
    case "connect":
      return connect(cmd);
    case "emit":
      try {
        return { ack: await sockets.get(cmd.socket).timeout(TIMEOUT).emitWithAck(cmd.event, cmd.payload) };
      } catch (err) {
        return { error: String(err) };
      }
    case "emit-no-ack":
      sockets.get(cmd.socket).emit(cmd.event, cmd.payload);
      return {};
    case "close":
      sockets.get(cmd.socket)?.close();
      sockets.delete(cmd.socket);
      return {};
    default:
      return { error: `unknown op ${cmd.op}` };
  }
}

createInterface({ input: process.stdin }).on("line", async (line) => {
  const cmd = JSON.parse(line);
  print({ re: cmd.id, ...(await run(cmd)) });
}).on("close", () => process.exit(0));
