import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";

const admin = user(["council_admin"], { id: "u4", name: "Alice Admin", csrf_token: "csrf-a" });
const agreement = { version: "2027-1", text: "The agreement's text.", officer_consent_text: "What officers agree to.", published_at: "2027-01-04T09:00:00+00:00" };
const notAccepted = { council_id: "c1", current_version: "2027-1", accepted_version: "2026-1", accepted_at: "2026-11-01T10:00:00+00:00", accepted_by_name: "Alice Admin", accepted_current: false, left_at: null };
const accepted = { ...notAccepted, accepted_version: "2027-1", accepted_at: "2027-01-05T10:00:00+00:00", accepted_current: true };
const acceptances = { items: [{ council: { id: "c2", name: "Reading Borough Council", code: "RDG" }, version: "2027-1", accepted_at: "2027-01-04T12:00:00+00:00" }], next_cursor: null };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("the agreement page", () => {
  it("asks to accept a new version, accepts it and shows who and when", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/agreement": { status: 200, body: agreement },
      "GET /api/v1/councils/c1/agreement": [{ status: 200, body: notAccepted }, { status: 200, body: accepted }],
      "GET /api/v1/agreement/acceptances": { status: 200, body: acceptances },
      "POST /api/v1/councils/c1/agreement": { status: 200, body: {} },
    });
    await startApp("/agreement");
    expect(text("#agreement-status")).toContain("version 2027-1 needs accepting");
    expect(text("#acceptances tbody")).toContain("Reading Borough Council");
    submit(document.querySelector<HTMLFormElement>("#accept-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST");
    expect(post?.body).toEqual({ version: "2027-1" });
    expect(post?.headers["X-CSRF-Token"]).toBe("csrf-a");
    expect(text(".govuk-notification-banner__heading")).toBe("Your council has accepted version 2027-1");
    expect(text("#agreement-status")).toMatch(/Accepted Version 2027-1, accepted on 5 January 2027.* by Alice Admin/);
    expect(document.querySelector("#accept-form")).toBeNull();
    expect(document.querySelector("a[href='/agreement/leave']")).not.toBeNull();
  });

  it("leaves the pool after a warning", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "DELETE /api/v1/councils/c1/agreement": { status: 200, body: { ...accepted, left_at: "2027-01-06T10:00:00+00:00" } },
      "GET /api/v1/agreement": { status: 200, body: agreement },
      "GET /api/v1/councils/c1/agreement": { status: 200, body: { ...accepted, accepted_current: false, left_at: "2027-01-06T10:00:00+00:00" } },
      "GET /api/v1/agreement/acceptances": { status: 200, body: acceptances },
    });
    await startApp("/agreement/leave");
    expect(text(".govuk-warning-text__text")).toContain("No new bookings can be made");
    submit(document.querySelector<HTMLFormElement>("#leave-form"));
    await settle();
    expect(calls.some((c) => c.method === "DELETE")).toBe(true);
    expect(window.location.pathname).toBe("/agreement");
    expect(text(".govuk-notification-banner__heading")).toBe("West Berkshire Council has left the pool");
    expect(text("#agreement-status")).toContain("left the pool");
  });
});
