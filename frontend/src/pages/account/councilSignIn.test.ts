import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";

const admin = { status: 200, body: user(["council_admin"]) };
const none = {
  status: 200,
  body: { issuer: null, client_id: null, client_secret_set: false, email_domains: [], create_officers: false, require_two_factor: false, redirect_uri: "http://127.0.0.1:8000/api/v1/auth/sso/callback" },
};
const settings = { status: 200, body: { email_domains: ["westberks.example.gov.uk"] } };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("how your people sign in", () => {
  it("registers the council's provider", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": admin,
      "GET /api/v1/councils/c1/sso": none,
      "GET /api/v1/councils/c1/settings": settings,
      "PUT /api/v1/councils/c1/sso": { status: 200, body: { ...none.body, issuer: "https://login.example/tenant/v2.0", client_id: "pool", client_secret_set: true, email_domains: ["westberks.example.gov.uk"], create_officers: true } },
    });
    await startApp("/council/sign-in");
    expect(text("h1")).toBe("How your people sign in");
    expect(text("#redirect-uri")).toBe("http://127.0.0.1:8000/api/v1/auth/sso/callback");
    fill("issuer", "https://login.example/tenant/v2.0");
    fill("client_id", "pool");
    fill("client_secret", "s3cret");
    (document.getElementById("email_domains") as HTMLInputElement).checked = true;
    (document.getElementById("create_officers") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#sign-in-settings-form"));
    await settle();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({
      issuer: "https://login.example/tenant/v2.0",
      client_id: "pool",
      client_secret: "s3cret",
      email_domains: ["westberks.example.gov.uk"],
      create_officers: true,
      require_two_factor: false,
    });
    expect(text(".govuk-notification-banner__heading")).toBe("Sign-in settings saved");
  });

  it("is for council admins", async () => {
    mockFetch({ "GET /api/v1/me": { status: 200, body: user(["booker"]) } });
    await startApp("/council/sign-in");
    expect(text("h1")).toBe("You cannot use this page");
  });
});
