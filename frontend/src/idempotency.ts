// Idempotency keys for requests that must not happen twice (a booking): one key per form
// submission, and the same key again when the same form is sent again after the network failed,
// so that a retry of a request that did reach the server replays its answer instead of booking
// twice.

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random UUID (version 4); crypto.randomUUID where the browser has it. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The key for each submission of one form. `keyFor` gives a new key unless the previous
 * submission got no answer (a network error) and the body is the same: then the same key, so
 * the server can tell it is a retry.
 */
export class IdempotentForm {
  private pending: { key: string; body: string } | null = null;

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.pending && this.pending.body === text) return this.pending.key;
    this.pending = { key: newIdempotencyKey(), body: text };
    return this.pending.key;
  }

  /** The server answered (yes or no): the next submission is a new one, with a new key. */
  answered(): void {
    this.pending = null;
  }
}
