// A chat client that rides through what a production deployment does to its servers: a gateway that
// drains or dies, message-service and presence-service instances that restart. It is how a client of
// Switchboard should behave (docs/protocol.md, docs/operations.md), written with the official
// socket.io-client, and the resilience tests (ScaleOutIT) drive it.
//
// What it does, and why:
// - WebSocket transport only: one TCP connection per session, so a load balancer needs no affinity.
//   Automatic reconnection with jittered backoff; the balancer sends each new connection to a live,
//   ready gateway. A draining gateway closes the transport without a Socket.IO DISCONNECT
//   ("transport close"), so socket.io-client reconnects by itself.
// - socket.io-client does not retry by itself after a server-side disconnect ("io server
//   disconnect") or a refused CONNECT (connect_error with data.code); a gateway that started to drain
//   between the handshake and the CONNECT refuses with SERVER_DRAINING. Both are retried here when
//   the code says so (the ErrorCode catalogue's retryable codes).
// - After every (re)connect, join-room again for each room with sinceSeq = the highest seq held
//   without a gap before it (the gateways deliver a room's confirmations in seq order, but give up
//   on a seq whose message-service died before announcing it, so "the highest seq seen" could skip
//   a message), then fetch-history while the answer is truncated. Sends wait until the rooms are
//   joined again.
// - Durable messages are kept by id and by seq; whatever brings one again (a live confirmation, a
//   rejoin, a history page, a duplicate ack) is recognised and dropped, so the application sees each
//   once, in seq order (seq has no gaps within a room). A gap that stays open is filled from
//   fetch-history.
// - send-message is sent again with the same clientMsgId until acknowledged: on PERSIST_FAILED,
//   UNAVAILABLE, INTERNAL or RATE_LIMITED, on an ack timeout and on a disconnect. The server never
//   stores a clientMsgId twice (a retry is acknowledged with duplicate: true and the first id and
//   seq). Only after a deadline is the send reported failed: never lost silently.
import { io } from "socket.io-client";
import { randomUUID } from "node:crypto";

/** Codes after which the same request may be sent again (ErrorCode.retryable on the server). */
export const RETRYABLE = new Set(["RATE_LIMITED", "PERSIST_FAILED", "UNAVAILABLE", "INTERNAL",
  "USER_CONNECTION_LIMIT", "IP_CONNECTION_LIMIT", "TENANT_CONNECTION_LIMIT", "SERVER_AT_CAPACITY", "SERVER_DRAINING",
  "CONNECT_THROTTLED"]);

const DEFAULTS = {
  ackTimeoutMs: 15_000,    // longer than the gateway's REQUEST_TIMEOUT_MS (10 s), so the server answers first
  sendDeadlineMs: 90_000,  // after this a send is reported failed
  gapFillAfterMs: 5_000,   // a seq gap open this long is filled from history
  reconnectDelayMs: 250,
  reconnectDelayMaxMs: 2_000,
};

const jitter = (ms) => Math.round(ms * (0.5 + Math.random()));
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one client holds of one room: durable messages by id and by seq, and how they came. */
export class RoomLog {
  constructor(roomId) {
    this.roomId = roomId;
    this.byId = new Map();      // id -> seq
    this.bySeq = new Map();     // seq -> id
    this.contiguous = 0;        // every seq 1..contiguous is held
    this.maxSeq = 0;
    this.gapSince = 0;          // when maxSeq first got ahead of contiguous
    this.via = { ack: 0, live: 0, rejoin: 0, history: 0 };
    this.dropped = { ack: 0, live: 0, rejoin: 0, history: 0 };  // already held: recognised, not shown twice
    this.conflicts = [];        // one id at two seqs, or two ids at one seq: must never happen
    this.liveSeqs = [];         // seqs of room-message-confirmed, in arrival order
    this.created = new Map();   // tempId -> optimistic room-message-created events received
    this.confirmed = new Map(); // id -> room-message-confirmed events received
    this.filled = [];           // seqs that only a gap fill brought
    this.ownEchoes = 0;         // optimistic copies of this user's own messages (the sender is excluded)
  }

  /** Records a durable message; false when it was already held. */
  add(id, seq, via) {
    const known = this.byId.get(id);
    if (known !== undefined) {
      if (known !== seq) this.conflicts.push({ id, seqs: [known, seq], via });
      this.dropped[via]++;
      return false;
    }
    const other = this.bySeq.get(seq);
    if (other !== undefined) {
      this.conflicts.push({ seq, ids: [other, id], via });
      return false;
    }
    this.byId.set(id, seq);
    this.bySeq.set(seq, id);
    this.via[via]++;
    if (via === "history") this.filled.push(seq);
    this.maxSeq = Math.max(this.maxSeq, seq);
    while (this.bySeq.has(this.contiguous + 1)) this.contiguous++;
    this.gapSince = this.maxSeq > this.contiguous ? (this.gapSince || Date.now()) : 0;
    return true;
  }

  /** The messages held, in seq order: what the application shows. */
  ordered() {
    return [...this.bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([seq, id]) => ({ seq, id }));
  }
}

/** One user's connection, kept alive across gateway failures, with its rooms and its sends. */
export class ResilientClient {
  constructor(url, token, name, options = {}) {
    this.name = name;
    this.options = { ...DEFAULTS, ...options };
    this.rooms = new Map();
    this.sends = [];
    this.disconnects = [];      // reasons
    this.refusals = [];         // connect_error codes or messages
    this.connects = 0;
    this.generation = 0;        // one per connection; work of an older connection is abandoned
    this.readyGeneration = -1;  // the connection whose rooms are joined
    this.waiters = [];
    this.fatal = null;
    this.closed = false;
    this.socket = io(url, {
      auth: { token },
      transports: ["websocket"],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: this.options.reconnectDelayMs,
      reconnectionDelayMax: this.options.reconnectDelayMaxMs,
      randomizationFactor: 0.5,
      timeout: 20_000,
    });
    this.socket.on("connect", () => this.onConnect());
    this.socket.on("disconnect", (reason) => this.onDisconnect(reason));
    this.socket.on("connect_error", (err) => this.onConnectError(err));
    this.socket.on("room-message-created", (envelope) => this.onCreated(envelope));
    this.socket.on("room-message-confirmed", (p) => this.onConfirmed(p));
    this.gapTimer = setInterval(() => this.fillGaps(), 500);
  }

  /** Resolves once connected with every room joined; rejects if the client gave up. */
  ready(deadline = Date.now() + this.options.sendDeadlineMs) {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, timer: null };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name}: not ready in time`));
      }, Math.max(0, deadline - Date.now()));
      this.waiters.push(waiter);
    });
  }

  isReady() {
    return this.socket.connected && this.readyGeneration === this.generation;
  }

  /** Joins a room now (once connected) and again after every reconnect. */
  async join(roomId) {
    if (!this.rooms.has(roomId)) this.rooms.set(roomId, new RoomLog(roomId));
    for (;;) {
      await this.ready();
      try {
        return await this.joinOne(this.rooms.get(roomId), this.generation);
      } catch (err) {
        if (err.message !== "stale connection") throw err;
      }
    }
  }

  /**
   * Sends a message, again with the same clientMsgId until it is acknowledged or the deadline
   * passes. Resolves with the send's record: {clientMsgId, roomId, ack?, failed?, attempts, errors}.
   */
  async send(roomId, body = null) {
    const clientMsgId = randomUUID();
    const record = { clientMsgId, roomId, attempts: 0, errors: [], startedAt: Date.now() };
    this.sends.push(record);
    const payload = { roomId, clientMsgId, body: body ?? `${this.name} ${clientMsgId}` };
    const deadline = record.startedAt + this.options.sendDeadlineMs;
    while (Date.now() < deadline && !this.closed) {
      try {
        await this.ready(deadline);
      } catch (err) {
        break;
      }
      const generation = this.generation;
      record.attempts++;
      let ack;
      try {
        ack = await this.socket.timeout(this.options.ackTimeoutMs).emitWithAck("send-message", payload);
      } catch (err) {
        // Timed out, or the connection dropped before the ack: the message may or may not be stored.
        record.errors.push(err.message);
        continue;
      }
      if (ack.ok) {
        record.ack = { id: ack.id, seq: ack.seq, duplicate: ack.duplicate === true };
        record.ackedAt = Date.now();
        this.rooms.get(roomId)?.add(ack.id, ack.seq, "ack");
        return record;
      }
      const code = ack.error?.code;
      record.errors.push(code);
      // FORBIDDEN from a connection that has since been replaced: it was not in the room yet.
      if (!RETRYABLE.has(code) && !(code === "FORBIDDEN" && generation !== this.generation)) {
        record.failed = code;
        return record;
      }
      await delay(code === "RATE_LIMITED" ? ack.error.retryAfterMs ?? 500 : jitter(300));
    }
    record.failed = "DEADLINE";
    return record;
  }

  /** A request with an ack; failed acks and timeouts become exceptions. */
  async request(event, payload) {
    const ack = await this.socket.timeout(this.options.ackTimeoutMs).emitWithAck(event, payload);
    if (!ack.ok) {
      const err = new Error(`${event}: ${ack.error?.code}`);
      err.code = ack.error?.code;
      err.retryAfterMs = ack.error?.retryAfterMs;
      throw err;
    }
    return ack;
  }

  close() {
    this.closed = true;
    clearInterval(this.gapTimer);
    this.waiters.forEach((w) => { clearTimeout(w.timer); w.reject(new Error("closed")); });
    this.waiters = [];
    this.socket.disconnect();
  }

  onConnect() {
    this.connects++;
    const generation = ++this.generation;
    this.rejoin(generation).catch(() => {
      // An older connection's work: the newer connection rejoins by itself.
    });
  }

  async rejoin(generation) {
    for (const room of this.rooms.values()) {
      await this.joinOne(room, generation);
    }
    if (generation === this.generation && this.socket.connected) {
      this.readyGeneration = generation;
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => { clearTimeout(w.timer); w.resolve(); });
    }
  }

  /** join-room with sinceSeq, retried while this connection lives; then pages while truncated. */
  async joinOne(room, generation) {
    for (;;) {
      if (generation !== this.generation || !this.socket.connected) throw new Error("stale connection");
      try {
        const ack = await this.request("join-room", { roomId: room.roomId, sinceSeq: room.contiguous });
        for (const m of ack.missed) room.add(m.id, m.seq, "rejoin");
        if (ack.truncated) await this.page(room, "rejoin");
        return;
      } catch (err) {
        if (err.code && !RETRYABLE.has(err.code)) throw err;
        await delay(jitter(300));
      }
    }
  }

  /** Reads the room's history after the contiguous prefix until there is no more. */
  async page(room, via) {
    for (;;) {
      let page;
      try {
        page = await this.request("fetch-history", { roomId: room.roomId, afterSeq: room.contiguous, limit: 100 });
      } catch (err) {
        if (err.code !== "RATE_LIMITED") throw err;
        await delay(err.retryAfterMs ?? 1000);
        continue;
      }
      for (const m of page.messages) room.add(m.id, m.seq, via);
      if (!page.hasMore || page.messages.length === 0) return;
    }
  }

  async fillGaps() {
    if (!this.isReady() || this.filling) return;
    this.filling = true;
    try {
      for (const room of this.rooms.values()) {
        if (room.gapSince && Date.now() - room.gapSince > this.options.gapFillAfterMs) {
          await this.page(room, "history");
        }
      }
    } catch (err) {
      // Retried on the next tick.
    } finally {
      this.filling = false;
    }
  }

  onDisconnect(reason) {
    this.disconnects.push(reason);
    if (reason === "io server disconnect" && !this.closed) {
      // The server ended the session (an older gateway's shutdown): socket.io-client waits for us.
      setTimeout(() => this.socket.connect(), jitter(this.options.reconnectDelayMs));
    }
  }

  onConnectError(err) {
    const code = err.data?.code;
    this.refusals.push(code ?? err.message);
    if (this.socket.active || this.closed) return; // a transport failure: socket.io-client retries
    if (RETRYABLE.has(code)) {
      setTimeout(() => this.socket.connect(), jitter(this.options.reconnectDelayMaxMs));
    } else {
      this.fatal = code ?? err.message;
      this.waiters.forEach((w) => { clearTimeout(w.timer); w.reject(new Error(`${this.name}: refused ${this.fatal}`)); });
      this.waiters = [];
    }
  }

  onCreated(envelope) {
    const m = envelope?.new;
    const room = m && this.rooms.get(m.roomId);
    if (!room) return;
    if (m.senderId === this.name && m.optimistic) {
      room.ownEchoes++;
    } else if (m.optimistic) {
      room.created.set(m.tempId, (room.created.get(m.tempId) ?? 0) + 1);
    } else if (m.seq != null) {
      room.add(m.id, m.seq, "live");
    }
  }

  onConfirmed(p) {
    const room = this.rooms.get(p.roomId);
    if (!room) return;
    room.confirmed.set(p.id, (room.confirmed.get(p.id) ?? 0) + 1);
    room.liveSeqs.push(p.seq);
    room.add(p.id, p.seq, "live");
  }
}
