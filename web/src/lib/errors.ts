import type { ErrorBody, ErrorCode } from "./types.js";

/** Codes after which the same request may succeed later (the server's catalogue, plus transport). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "RATE_LIMITED", "SLOW_MODE", "PERSIST_FAILED", "UNAVAILABLE", "INTERNAL", "USER_CONNECTION_LIMIT", "IP_CONNECTION_LIMIT",
  "TENANT_CONNECTION_LIMIT", "SERVER_AT_CAPACITY", "SERVER_DRAINING", "CONNECT_THROTTLED", "TIMEOUT", "DISCONNECTED",
]);

/** A refused request or connection, with the contract's error code. */
export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorBody["details"];
  readonly retryAfterMs: number | undefined;
  /** `FORBIDDEN` to a member muted in the room: until when (ISO-8601). */
  readonly mutedUntil: string | undefined;
  /** `SLOW_MODE`: the room's slow mode, in seconds. */
  readonly slowMode: number | undefined;

  constructor(body: ErrorBody) {
    super(body.message || body.code);
    this.name = "SwitchboardError";
    this.code = body.code;
    this.details = body.details;
    this.retryAfterMs = body.retryAfterMs;
    this.mutedUntil = body.mutedUntil;
    this.slowMode = body.slowMode;
  }

  /** Whether sending the same request again (same clientMsgId for a message) may succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  static of(code: ErrorCode, message: string): SwitchboardError {
    return new SwitchboardError({ code, message });
  }
}
