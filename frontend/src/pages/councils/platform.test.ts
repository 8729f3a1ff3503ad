import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";
import { councilChanges, validateDomains } from "./platform";

const pat = user([], { id: "p1", name: "Pat Platform", council: null, is_platform_admin: true, csrf_token: "csrf-p" });
const reading = { id: "c2", name: "Reading Borough Council", code: "RDG", nation: "England", region: "South East", gss_code: "E06000038", authority_type: "UA", state: "requested", people: 0 };
const request = {
  id: "j1",
  council: reading,
  council_state: "requested",
  council_people: 0,
  email_domains: [],
  email_has_account: false,
  name: "Jo Joiner",
  job_title: "Head of HR",
  email: "jo@reading.gov.uk",
  status: "pending",
  created_at: "2026-11-25T10:00:00+00:00",
  verified_at: "2026-11-25T10:05:00+00:00",
  decided_at: null,
  decline_reason: null,
  invitation_id: null,
};
const health = { today: "2026-11-25", quarter_first: "2026-10-01", quarter_last: "2026-12-31", month: "2026-11", member_councils: 3, councils_on_current_agreement: 3, officers_listed: 12, hours_listed: 340.5, bookings: 7, booked_pence: 123456 };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("platform pages", () => {
  it("checks domains and council corrections", () => {
    expect(validateDomains([], "jo@reading.gov.uk")).toBe("Enter at least one email domain");
    expect(validateDomains(["reading"], "jo@reading.gov.uk")).toMatch(/is not a domain/);
    expect(validateDomains(["other.gov.uk"], "jo@reading.gov.uk")).toMatch(/Include the requester's domain/);
    expect(validateDomains(["reading.gov.uk"], "jo@reading.gov.uk")).toBeNull();
    const entry = { ...reading, state: "member" as const };
    const same = { name: entry.name, code: entry.code, nation: entry.nation, region: entry.region, gss_code: entry.gss_code };
    expect(councilChanges(entry, same).changes).toEqual({});
    expect(councilChanges(entry, { ...same, gss_code: "" }).changes).toEqual({ gss_code: null });
    expect(councilChanges(entry, { ...same, code: "rdg" }).errors.fields.code).toMatch(/capital letters/);
  });

  it("shows the pool's health and refuses people who are not platform admins", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: pat },
      "GET /api/v1/platform/pool": { status: 200, body: health },
      "GET /api/v1/join-requests": { status: 200, body: { items: [request], next_cursor: null } },
    });
    await startApp("/platform");
    expect(text("#pool-health")).toContain("Member councils 3");
    expect(text("#pool-health")).toContain("£1,234.56");
    expect(document.body.textContent).toContain("(1 waiting)");
    mockFetch({ "GET /api/v1/me": { status: 200, body: user(["council_admin"]) } });
    await startApp("/platform");
    expect(text("h1")).toBe("You cannot use this page");
  });

  it("approves a join request with the council's email domains", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: pat },
      "GET /api/v1/join-requests/j1": { status: 200, body: request },
      "POST /api/v1/join-requests/j1/approve": { status: 200, body: { ...request, status: "approved" } },
      "GET /api/v1/join-requests": { status: 200, body: { items: [], next_cursor: null } },
    });
    await startApp("/platform/join-requests/j1");
    expect(text("h1")).toBe("Reading Borough Council asks to join");
    expect((document.getElementById("email-domains") as HTMLTextAreaElement).value).toBe("reading.gov.uk");
    fill("email-domains", "reading.gov.uk\nReading.GOV.uk\nbrighter-futures.org.uk");
    submit(document.querySelector<HTMLFormElement>("#approve-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ email_domains: ["reading.gov.uk", "brighter-futures.org.uk"] });
    expect(window.location.pathname).toBe("/platform/join-requests");
    expect(text(".govuk-notification-banner__heading")).toBe("Jo Joiner has been invited to set up Reading Borough Council");
  });

  it("declines only with a reason", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: pat },
      "GET /api/v1/join-requests/j1": { status: 200, body: request },
      "POST /api/v1/join-requests/j1/decline": { status: 200, body: { ...request, status: "declined" } },
      "GET /api/v1/join-requests": { status: 200, body: { items: [], next_cursor: null } },
    });
    await startApp("/platform/join-requests/j1");
    submit(document.querySelector<HTMLFormElement>("#decline-form"));
    await settle();
    expect(text("#reason-error")).toContain("Enter the reason");
    fill("reason", "Reading joins through its shared service.");
    submit(document.querySelector<HTMLFormElement>("#decline-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ reason: "Reading joins through its shared service." });
  });

  it("publishes a new agreement version after checking it", async () => {
    const current = { version: "2026-1", text: "The agreement's current text, long enough.", officer_consent_text: "What officers agree to, long enough.", published_at: "2026-11-01T00:00:00+00:00" };
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: pat },
      "GET /api/v1/agreement": { status: 200, body: current },
      "POST /api/v1/agreement/versions": { status: 201, body: { ...current, version: "2027-1" } },
      "GET /api/v1/platform/pool": { status: 200, body: health },
      "GET /api/v1/join-requests": { status: 200, body: { items: [], next_cursor: null } },
    });
    await startApp("/platform/agreement");
    fill("version", "2026-1");
    submit(document.querySelector<HTMLFormElement>("#publish-form"));
    await settle();
    expect(text("#version-error")).toContain("is the current one");
    fill("version", "2027-1");
    submit(document.querySelector<HTMLFormElement>("#publish-form"));
    await settle();
    expect(text("h1")).toBe("Check the new version");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ version: "2027-1", text: current.text, officer_consent_text: current.officer_consent_text });
    expect(text(".govuk-notification-banner__heading")).toBe("Version 2027-1 published");
  });

  it("lists councils by state and corrects one after checking", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: pat },
      "GET /api/v1/platform/councils": { status: 200, body: { items: [reading], next_cursor: "abc" } },
      "GET /api/v1/platform/councils/c2": { status: 200, body: reading },
      "PATCH /api/v1/councils/c2": { status: 200, body: { ...reading, region: "Berkshire" } },
    });
    await startApp("/platform/councils?state=requested");
    expect(calls.find((c) => c.url.startsWith("/api/v1/platform/councils?"))?.url).toContain("state=requested");
    expect(text("#councils tbody")).toContain("Requested");
    expect(document.querySelector("a[rel=next]")?.getAttribute("href")).toContain("cursor=abc");
    await startApp("/platform/councils/c2");
    fill("region", "Berkshire");
    submit(document.querySelector<HTMLFormElement>("#council-form"));
    await settle();
    expect(text(".govuk-summary-list:last-of-type")).toContain("Berkshire");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ region: "Berkshire" });
  });
});
