/** Where the client gets its JWT: a fixed token, or a function asked again whenever one is due. */
export type TokenSource = string | (() => Promise<string>);

export function fetchToken(source: TokenSource): Promise<string> {
  return typeof source === "string" ? Promise.resolve(source) : source();
}

/** The claims of a JWT, unverified (the server verifies), or null when unreadable. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "=")));
  } catch {
    return null;
  }
}

/** The `exp` claim of a JWT in epoch seconds, or null when absent or unreadable. */
export function tokenExpiry(token: string): number | null {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === "number" ? exp : null;
}

/** Milliseconds until a token with this expiry should be refreshed (never less than a second). */
export function refreshDelayMs(expSeconds: number, marginMs: number, nowMs = Date.now()): number {
  return Math.max(1000, expSeconds * 1000 - marginMs - nowMs);
}
