import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";

const started = { status: 201, body: { secret: "JBSWY3DPEHPK3PXP", otpauth_uri: "otpauth://totp/x", qr_svg: "data:image/svg+xml,%3Csvg%3E%3C/svg%3E" } };
const codes = Array.from({ length: 10 }, (_, i) => `abcd${i}-fghjk`);

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("two-factor sign-in", () => {
  it("is where a finance officer who must set it up goes, and shows the recovery codes once", async () => {
    const needs = user(["finance"], { two_factor_setup_required: true });
    const { calls } = mockFetch({
      "GET /api/v1/me": [{ status: 200, body: needs }, { status: 200, body: { ...needs, two_factor_setup_required: false } }],
      "POST /api/v1/auth/totp": started,
      "POST /api/v1/auth/totp/confirm": [
        { status: 401, body: { title: "Invalid credentials", status: 401 } },
        { status: 200, body: { recovery_codes: codes } },
      ],
    });
    await startApp("/invoices");
    expect(window.location.pathname).toBe("/account/two-factor");
    expect(document.querySelector("#qr")?.getAttribute("src")).toBe(started.body.qr_svg);
    expect(document.querySelector("#qr")?.getAttribute("alt")).toContain("QR code");
    expect(text(".govuk-notification-banner__heading")).toBe("Your role needs two-factor sign-in");
    fill("code", "12");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(text("#code-error")).toBe("Error: Enter the 6-digit code from your authenticator app");
    fill("code", "123456");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(text("#code-error")).toContain("The code is not right");
    fill("code", "654321");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(calls.filter((c) => c.url === "/api/v1/auth/totp/confirm").at(-1)?.body).toEqual({ code: "654321" });
    expect(document.querySelectorAll("#recovery-codes li")).toHaveLength(10);
  });

  it("resets with a recovery code", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: user(["officer"]) },
      "POST /api/v1/auth/totp/reset": { status: 204 },
      "GET /api/v1/auth/sessions": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/auth/tokens": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/auth/totp": { status: 200, body: { enabled: false, required: false, recovery_codes_left: 0 } },
    });
    await startApp("/account/two-factor/reset");
    fill("code", "abcde-fghjk");
    submit(document.querySelector<HTMLFormElement>("#reset-form"));
    await settle();
    expect(calls.find((c) => c.url === "/api/v1/auth/totp/reset")?.body).toEqual({ recovery_code: "abcde-fghjk" });
    expect(window.location.pathname).toBe("/account");
  });
});
