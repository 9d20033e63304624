import { SwitchboardError } from "./errors.js";
import { uuid } from "./ids.js";
import type { Payload, SendAck } from "./types.js";

export type OutgoingState = "pending" | "confirmed" | "failed";

/** A message this client sent, as the application shows it: pending, then confirmed or failed. */
export interface OutgoingMessage {
  clientMsgId: string;
  roomId: string;
  body: string;
  replyTo?: string;
  meta?: Record<string, unknown>;
  /** The ids of the files it carries (uploads of this user: `SwitchboardClient.upload`). */
  attachments?: string[];
  createdAt: string;
  state: OutgoingState;
  attempts: number;
  ack?: SendAck;
  error?: SwitchboardError;
}

export interface SendOptions {
  replyTo?: string;
  meta?: Record<string, unknown>;
  /** Ids of this user's uploads to the room (1 to 10), from `SwitchboardClient.upload`. */
  attachments?: string[];
  /** The idempotency key; a fresh UUID by default. */
  clientMsgId?: string;
}

/** How often one send is tried automatically (dropped connections and RATE_LIMITED) before it fails. */
const MAX_ATTEMPTS = 5;

type Attempt = (payload: Payload<"send-message">) => Promise<SendAck>;

/**
 * Messages on their way: each is sent with its clientMsgId, the idempotency key, so however often it
 * is retried (after a dropped connection, a timeout, RATE_LIMITED, or by the user after a failure) it
 * is stored once. Errors that retrying cannot fix, and PERSIST_FAILED and SLOW_MODE (its wait may be
 * long: `error.retryAfterMs`), fail it at once: the user decides whether to retry.
 */
export class Outbox {
  private readonly messages = new Map<string, OutgoingMessage>();
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly attempt: Attempt,
    private readonly ready: () => boolean,
    private readonly changed: (m: OutgoingMessage) => void,
  ) {}

  send(roomId: string, body: string, options: SendOptions = {}): { message: OutgoingMessage; result: Promise<SendAck> } {
    const message: OutgoingMessage = {
      clientMsgId: options.clientMsgId ?? uuid(), roomId, body, replyTo: options.replyTo, meta: options.meta,
      attachments: options.attachments?.length ? [...options.attachments] : undefined,
      createdAt: new Date().toISOString(), state: "pending", attempts: 0,
    };
    this.messages.set(message.clientMsgId, message);
    this.changed(message);
    return { message, result: this.run(message) };
  }

  retry(clientMsgId: string): Promise<SendAck> {
    const message = this.messages.get(clientMsgId);
    if (!message) return Promise.reject(SwitchboardError.of("NOT_FOUND", "no such outgoing message"));
    if (message.state === "confirmed") return Promise.resolve(message.ack!);
    this.update(message, { state: "pending", attempts: 0, error: undefined });
    return this.run(message);
  }

  /** The connection is ready again: sends waiting for it go out now. */
  resume(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    waiting.forEach((w) => w());
  }

  private async run(message: OutgoingMessage): Promise<SendAck> {
    const payload: Payload<"send-message"> = { roomId: message.roomId, clientMsgId: message.clientMsgId, body: message.body };
    if (message.replyTo) payload.replyTo = message.replyTo;
    if (message.meta) payload.meta = message.meta;
    if (message.attachments) payload.attachments = message.attachments;
    for (;;) {
      this.update(message, { attempts: message.attempts + 1 });
      try {
        const ack = await this.attempt(payload);
        this.update(message, { state: "confirmed", ack });
        this.messages.delete(message.clientMsgId);
        return ack;
      } catch (e) {
        const error = e instanceof SwitchboardError ? e : SwitchboardError.of("INTERNAL", String(e));
        if (!this.transient(error) || message.attempts >= MAX_ATTEMPTS) {
          this.update(message, { state: "failed", error });
          throw error;
        }
        await this.pause(message, error);
      }
    }
  }

  private transient(error: SwitchboardError): boolean {
    return error.code === "DISCONNECTED" || error.code === "TIMEOUT" || error.code === "RATE_LIMITED";
  }

  /** Until the connection is back (a drop), or the server's retryAfterMs (RATE_LIMITED, timeouts). */
  private pause(message: OutgoingMessage, error: SwitchboardError): Promise<void> {
    if (error.code !== "DISCONNECTED") return sleep(error.retryAfterMs ?? 1000);
    // A drop does not count against the attempts: the message waits for the connection.
    message.attempts -= 1;
    return this.ready() ? sleep(250) : new Promise((resolve) => this.waiting.add(resolve));
  }

  private update(message: OutgoingMessage, change: Partial<OutgoingMessage>): void {
    Object.assign(message, change);
    this.changed({ ...message });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
