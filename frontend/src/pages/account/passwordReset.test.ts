import { afterEach, describe, expect, it } from "vitest";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";

const signedOut = { status: 401, body: { title: "Not signed in", status: 401 } };

afterEach(() => stopApp());

describe("password reset", () => {
  it("asks for the email and answers the same whatever it is", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut, "POST /api/v1/auth/password-reset": { status: 202 } });
    await startApp("/password-reset");
    fill("email", "someone@westberks.example.gov.uk");
    submit(document.querySelector<HTMLFormElement>("#reset-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ email: "someone@westberks.example.gov.uk" });
    expect(text("h1")).toBe("Check your email");
  });

  it("sets the new password from the emailed link and says what the server refused", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/password-reset/complete": [
        { status: 422, body: { title: "Unprocessable content", status: 422, errors: [{ loc: ["body", "password"], msg: "That password is on a list of common passwords. Choose another one." }] } },
        { status: 204 },
      ],
    });
    await startApp("/password-reset/tok-123");
    fill("password", "short");
    submit(document.querySelector<HTMLFormElement>("#new-password-form"));
    await settle();
    expect(text("#password-error")).toBe("Error: Your password must be at least 12 characters long");
    fill("password", "password1234");
    submit(document.querySelector<HTMLFormElement>("#new-password-form"));
    await settle();
    expect(text("#password-error")).toBe("Error: That password is on a list of common passwords. Choose another one");
    fill("password", "tractor-purple-lemon");
    submit(document.querySelector<HTMLFormElement>("#new-password-form"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").at(-1)?.body).toEqual({ token: "tok-123", password: "tractor-purple-lemon" });
    expect(window.location.pathname).toBe("/sign-in");
    expect(text(".govuk-notification-banner__heading")).toBe("Your password has been changed");
  });

  it("explains a failed single sign-on", async () => {
    mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/sign-in/sso-failed?reason=email_unverified");
    expect(text("h1")).toBe("You have not been signed in");
    expect(text("#sso-failure")).toContain("has not confirmed your email address");
  });
});
