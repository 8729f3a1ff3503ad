import { describe, expect, it } from "vitest";
import { IdempotentForm, newIdempotencyKey } from "./idempotency";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("idempotency keys", () => {
  it("are random version 4 UUIDs", () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(UUID);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it("are made from random bytes where crypto.randomUUID is missing (not a secure context)", () => {
    const original = globalThis.crypto.randomUUID;
    Object.defineProperty(globalThis.crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(UUID);
    } finally {
      Object.defineProperty(globalThis.crypto, "randomUUID", { value: original, configurable: true });
    }
  });

  it("are new for each submission, and the same for a resubmission after a network error", () => {
    const form = new IdempotentForm();
    const body = { officer_id: "o2", week: "2026-W50", hours: 6, purpose: "Work" };
    const first = form.keyFor(body);
    // No answer (the network failed): the same form again is the same request.
    expect(form.keyFor({ ...body })).toBe(first);
    // A changed form is a new request.
    const changed = form.keyFor({ ...body, hours: 5 });
    expect(changed).not.toBe(first);
    // Once the server has answered, the next submission is new even with the same body.
    form.answered();
    expect(form.keyFor({ ...body, hours: 5 })).not.toBe(changed);
  });
});
