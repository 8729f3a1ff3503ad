import { afterEach, describe, expect, it } from "vitest";
import { getCsrfToken, setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { validatePasswords } from "./acceptInvitation";

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("accept invitation", () => {
  it("checks the passwords", () => {
    expect(validatePasswords("", "").summary.map((e) => e.text)).toEqual(["Enter a password", "Confirm your password"]);
    expect(validatePasswords("short", "short").fields.password).toBe("Password must be 12 characters or more");
    expect(validatePasswords("long-enough-password", "different-password").fields["confirm-password"]).toBe(
      "Passwords must match",
    );
    expect(validatePasswords("long-enough-password", "long-enough-password").summary).toEqual([]);
  });

  it("sets the password, signs in and goes home", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 401, body: { status: 401 } },
      "POST /api/v1/invitations/tok%2Fen/accept": {
        status: 200,
        body: {
          user: {
            id: "u9",
            email: "n@x",
            name: "New Person",
            council: null,
            roles: [],
            is_platform_admin: false,
            officer_id: null,
          },
          csrf_token: "c",
        },
      },
    });
    await startApp("/invitations/tok%2Fen");
    expect(text("h1")).toBe("Set your password");
    fill("password", "a-long-password-2026");
    fill("confirm-password", "a-long-password-2026");
    submit(document.querySelector<HTMLFormElement>("#accept-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ password: "a-long-password-2026" });
    expect(getCsrfToken()).toBe("c");
    expect(window.location.pathname).toBe("/");
    expect(text(".govuk-notification-banner__heading")).toBe("Your account is ready");
    expect(text("#signed-in-as")).toBe("Signed in as New Person");
  });
});
