// Drives the official socket.io-client against the Java server for the JUnit tests.
// Usage: node client.js <scenario> <url> [options as JSON]
// Prints one JSON object per line ({"ev": ..., ...}); the Java side asserts on them.
// Exits 0 after "done", 2 when its deadline passes.
"use strict";
const { io } = require("socket.io-client");

const [scenario, url, optionsJson] = process.argv.slice(2);
const options = optionsJson ? JSON.parse(optionsJson) : {};
const deadline = setTimeout(() => { out("timeout"); process.exit(2); }, options.deadlineMs || 20000);

function out(ev, data) {
  process.stdout.write(JSON.stringify(Object.assign({ ev }, data || {})) + "\n");
}

function done() {
  clearTimeout(deadline);
  out("done");
  process.exit(0);
}

function connect(nsp, extra) {
  return io(url + (nsp || "/"), Object.assign({
    transports: options.transports || ["polling", "websocket"],
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    forceNew: true,
  }, extra || {}));
}

function hex(buffer) {
  return Buffer.from(buffer).toString("hex");
}

const scenarios = {
  // Connect, report the transport (and the upgrade), ack both ways, then wait for "bye".
  basic() {
    const socket = connect("/", { auth: { token: "t-1" } });
    let upgraded = false;
    socket.io.on("open", () => out("open", { transport: socket.io.engine.transport.name }));
    socket.on("connect", () => out("connect", { id: socket.id, transport: socket.io.engine.transport.name }));
    socket.io.engine.on("upgrade", (t) => { upgraded = true; out("upgrade", { transport: t.name }); });
    socket.on("welcome", (data) => {
      out("welcome", { data });
      const go = () => socket.emit("echo", { a: 1 }, [1, 2], "s", 3.5, true, null, (...args) => out("echo-ack", { args }));
      if (options.awaitUpgrade && !upgraded) {
        socket.io.engine.once("upgrade", go);
      } else {
        go();
      }
    });
    socket.on("ask", (n, callback) => { out("asked", { n }); callback({ doubled: n * 2 }, "second"); });
    socket.on("bye", (transport) => { out("bye", { transport }); done(); });
    socket.on("connect_error", (e) => out("connect_error", { message: e.message }));
  },

  // Binary both ways: attachments at top level and nested.
  binary() {
    const socket = connect("/");
    socket.on("connect", () => {
      socket.emit("bin", Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]), label: "x" }, (reply) => {
        out("bin-ack", { reversed: hex(reply) });
      });
    });
    socket.on("bin-back", (top, obj) => {
      out("bin-back", { top: hex(top), inner: hex(obj.inner), text: obj.text });
      done();
    });
  },

  // Several namespaces over one connection; a middleware refuses one of them.
  namespaces() {
    const main = io(url + "/", { transports: options.transports || ["websocket"], forceNew: true });
    const admin = main.io.socket("/admin", { auth: { token: "letmein" } });
    const refused = main.io.socket("/private", { auth: { token: "wrong" } });
    const unknown = main.io.socket("/nowhere");
    main.connect();
    admin.connect();
    refused.connect();
    unknown.connect();
    let pending = 4;
    const settle = () => { if (--pending === 0) main.emit("where", (nsp) => { out("where", { nsp }); admin.emit("where", (n2) => { out("where", { nsp: n2 }); done(); }); }); };
    main.on("connect", () => { out("connect", { nsp: "/", id: main.id }); settle(); });
    admin.on("connect", () => { out("connect", { nsp: "/admin", id: admin.id }); settle(); });
    refused.on("connect_error", (e) => { out("connect_error", { nsp: "/private", message: e.message, data: e.data }); settle(); });
    unknown.on("connect_error", (e) => { out("connect_error", { nsp: "/nowhere", message: e.message }); settle(); });
    admin.on("admin-news", (text) => out("admin-news", { text }));
  },

  // Several clients, each named through auth; reports what each receives until "bye".
  rooms() {
    const count = options.clients || 3;
    let byes = 0;
    for (let i = 0; i < count; i++) {
      const socket = connect("/", { auth: { name: "c" + i } });
      socket.on("connect", () => out("connect", { name: "c" + i, id: socket.id }));
      socket.on("news", (text) => out("news", { name: "c" + i, text }));
      socket.on("bye", () => { if (++byes === count) done(); });
    }
  },

  // Several clients count an ordered stream of broadcasts ("n" 0, 1, 2, ...) until "end".
  flood() {
    const count = options.clients || 3;
    let ended = 0;
    for (let i = 0; i < count; i++) {
      const socket = connect("/", { auth: { name: "c" + i } });
      let expected = 0;
      let inOrder = true;
      socket.on("connect", () => out("connect", { name: "c" + i, transport: socket.io.engine.transport.name }));
      socket.on("n", (n) => { if (n !== expected) inOrder = false; expected++; });
      socket.on("end", () => {
        out("count", { name: "c" + i, count: expected, inOrder });
        if (++ended === count) done();
      });
    }
  },

  // The server drops the transport; the client reconnects by itself as a new socket.
  reconnect() {
    const socket = connect("/");
    let connects = 0;
    socket.on("connect", () => {
      connects++;
      out("connect", { id: socket.id, n: connects, recovered: socket.recovered === true });
      if (connects === 2) {
        socket.emit("again", () => done());
      }
    });
    socket.on("disconnect", (reason) => out("disconnect", { reason }));
    socket.io.on("reconnect", (attempt) => out("reconnect", { attempt }));
    socket.on("drop", () => socket.io.engine.close());
  },

  // Connection state recovery: after a transport drop the client gets its id, rooms and missed packets back.
  // Large events both ways: the server sends "big" on connect; the client reports the WebSocket's
  // agreed extensions and echoes the text with an ack (ws compresses what it sends from 1 KB).
  large() {
    const socket = connect("/");
    socket.on("big", (text) => {
      const ws = socket.io.engine.transport.ws;
      out("big", { length: text.length, transport: socket.io.engine.transport.name, extensions: ws ? ws.extensions : null });
      socket.emit("echo", text, "small", (back, small) => {
        out("echo-ack", { length: back.length, same: back === text, small });
        done();
      });
    });
    socket.on("connect_error", (e) => out("connect_error", { message: e.message }));
  },

  // options.auth: the CONNECT's auth payload ({recover: true} asks for recovery).
  recovery() {
    const socket = connect("/", options.auth ? { auth: options.auth } : {});
    let connects = 0;
    socket.on("connect", () => {
      connects++;
      out("connect", { id: socket.id, n: connects, recovered: socket.recovered === true });
    });
    socket.on("disconnect", (reason) => out("disconnect", { reason }));
    socket.on("news", (...args) => out("news", { args }));
    socket.on("drop", () => socket.io.engine.close());
    socket.on("bye", () => done());
  },
};

if (!scenarios[scenario]) {
  out("error", { message: "unknown scenario " + scenario });
  process.exit(3);
}
scenarios[scenario]();
