import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";

const me = { status: 200, body: user(["booker"], { name: "Bob Booker", email: "bob@reading.example.gov.uk" }) };
const sessions = {
  status: 200,
  body: {
    items: [
      { id: "s1", created_at: "2026-11-30T09:00:00Z", last_seen_at: "2026-11-30T09:05:00Z", method: "password", device: "Firefox on Windows", ip: "192.0.2.1", current: true },
      { id: "s2", created_at: "2026-11-29T08:00:00Z", last_seen_at: "2026-11-29T18:00:00Z", method: "sso", device: "Safari on iPhone", ip: "198.51.100.7", current: false },
    ],
    next_cursor: null,
  },
};
const tokens = { status: 200, body: { items: [{ id: "t1", name: "Ledger export", created_at: "2026-11-01T10:00:00Z", revoked_at: null }], next_cursor: null } };
const off = { status: 200, body: { enabled: false, required: false, recovery_codes_left: 0 } };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("your account", () => {
  it("shows sessions, two-factor sign-in and tokens", async () => {
    mockFetch({ "GET /api/v1/me": me, "GET /api/v1/auth/sessions": sessions, "GET /api/v1/auth/tokens": tokens, "GET /api/v1/auth/totp": off });
    await startApp("/account");
    expect(text("h1")).toBe("Your account");
    expect(document.body.textContent).toContain("Firefox on Windows");
    expect(document.body.textContent).toContain("Safari on iPhone");
    expect(document.body.textContent).toContain("This browser");
    expect(document.querySelector("a[href='/account/two-factor']")?.textContent).toBe("Set up two-factor sign-in");
    expect(document.querySelector("a[href='/account/password']")).not.toBeNull();
    expect(document.body.textContent).toContain("Ledger export");
    expect(document.querySelector("#end-others-form")).not.toBeNull();
  });

  it("signs out everywhere else", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": me,
      "GET /api/v1/auth/sessions": [sessions, { status: 200, body: { items: [sessions.body.items[0]], next_cursor: null } }],
      "GET /api/v1/auth/tokens": tokens,
      "GET /api/v1/auth/totp": off,
      "POST /api/v1/auth/sessions/end-others": { status: 204 },
    });
    await startApp("/account");
    submit(document.querySelector<HTMLFormElement>("#end-others-form"));
    await settle();
    expect(calls.some((c) => c.method === "POST" && c.url === "/api/v1/auth/sessions/end-others")).toBe(true);
    expect(document.body.textContent).not.toContain("Safari on iPhone");
    expect(document.querySelector("#end-others-form")).toBeNull();
  });

  it("makes a named token and shows it once", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": me,
      "GET /api/v1/auth/sessions": sessions,
      "GET /api/v1/auth/tokens": tokens,
      "GET /api/v1/auth/totp": off,
      "POST /api/v1/auth/tokens": { status: 201, body: { id: "t2", name: "Payroll", token: "tp_secret-value", created_at: "2026-11-30T10:00:00Z" } },
    });
    await startApp("/account");
    submit(document.querySelector<HTMLFormElement>("#token-form"));
    await settle();
    expect(text("#token-name-error")).toBe("Error: Enter a name for the token");
    fill("token-name", "Payroll");
    submit(document.querySelector<HTMLFormElement>("#token-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST" && c.url === "/api/v1/auth/tokens")?.body).toEqual({ name: "Payroll" });
    expect(text("#new-token")).toContain("tp_secret-value");
  });
});
