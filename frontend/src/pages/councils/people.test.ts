import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { peter, user } from "../../test/fixtures";
import { validatePersonChange } from "./people";

const admin = user(["council_admin"], { id: "u4", name: "Alice Admin", csrf_token: "csrf-a" });
const manager = user(["manager"], { id: "u3", name: "Mark Manager", csrf_token: "csrf-m" });
const people = [
  { id: "u4", email: "alice@wb.gov.uk", name: "Alice Admin", roles: ["council_admin"], line_manager_id: null, active: true },
  { id: "u3", email: "mark@wb.gov.uk", name: "Mark Manager", roles: ["manager"], line_manager_id: null, active: true },
  { id: "u2", email: "peter@wb.gov.uk", name: "Peter Price", roles: ["officer"], line_manager_id: null, active: true },
];
const invitation = { id: "i1", email: "new@wb.gov.uk", name: "New", roles: ["officer"], expires_at: "2026-12-09T10:00:00+00:00", accepted_at: null };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("people", () => {
  it("needs a role and a manager from the list", () => {
    expect(validatePersonChange([], "", []).fields.roles).toBe("Select at least one role");
    expect(validatePersonChange(["officer"], "zz", []).fields["line-manager"]).toBe("Choose a manager from the list");
  });

  it("filters by role and resends or revokes invitations", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/users": { status: 200, body: { items: [people[1]], next_cursor: null } },
      "GET /api/v1/councils/c1/invitations": { status: 200, body: { items: [invitation], next_cursor: null } },
      "POST /api/v1/invitations/i1/resend": { status: 200, body: invitation },
    });
    await startApp("/council/people?role=manager");
    expect(calls.find((c) => c.url.includes("/users"))?.url).toContain("role=manager");
    expect(text("#people caption")).toBe("People with the manager role");
    expect(text("#people tbody")).toContain("Mark Manager");
    const form = document.querySelector<HTMLFormElement>("form.tp-invitation")!;
    const resend = form.querySelector<HTMLButtonElement>("button[value=resend]")!;
    form.dispatchEvent(new SubmitEvent("submit", { bubbles: true, cancelable: true, submitter: resend }));
    await settle();
    expect(calls.some((c) => c.method === "POST" && c.url.endsWith("/invitations/i1/resend"))).toBe(true);
    expect(text(".govuk-notification-banner__heading")).toBe("Invitation sent again to new@wb.gov.uk");
  });

  it("changes a person's roles and line manager, and deactivates them", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/users": { status: 200, body: { items: people, next_cursor: null } },
      "GET /api/v1/officers": { status: 200, body: { items: [{ ...peter, user_id: "u2" }], next_cursor: null } },
      "PATCH /api/v1/users/u2": { status: 200, body: people[2] },
    });
    await startApp("/council/people/u2");
    expect(text("h1")).toBe("Peter Price");
    expect(document.querySelector("a[href='/council/officers/o2/rate']")).not.toBeNull();
    expect(document.querySelector("a[href^='/audit?entity=user']")?.getAttribute("href")).toBe("/audit?entity=user&entity_id=u2");
    (document.getElementById("roles-manager") as HTMLInputElement).checked = true;
    (document.getElementById("line-manager") as HTMLSelectElement).value = "u3";
    submit(document.querySelector<HTMLFormElement>("#person-form"));
    await settle();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ roles: ["officer", "manager"], line_manager_id: "u3" });
    submit(document.querySelector<HTMLFormElement>("#active-form"));
    await settle();
    expect(calls.filter((c) => c.method === "PATCH")[1]?.body).toEqual({ active: false });
  });

  it("shows the server's refusal to remove the last admin", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/users": { status: 200, body: { items: people, next_cursor: null } },
      "GET /api/v1/officers": { status: 200, body: { items: [], next_cursor: null } },
      "PATCH /api/v1/users/u4": { status: 409, body: { status: 409, detail: "A council must keep at least one active council admin." } },
    });
    await startApp("/council/people/u4");
    submit(document.querySelector<HTMLFormElement>("#active-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("A council must keep at least one active council admin");
  });

  it("lets a manager check and set an officer's rate", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: manager },
      "GET /api/v1/officers/o2": { status: 200, body: peter },
      "PUT /api/v1/officers/o2/rate": { status: 200, body: { ...peter, rate_pence_per_hour: 5200 } },
      "GET /api/v1/officers": { status: 200, body: { items: [{ ...peter, rate_pence_per_hour: 5200 }], next_cursor: null } },
    });
    await startApp("/council/officers/o2/rate");
    fill("rate", "fifty");
    submit(document.querySelector<HTMLFormElement>("#rate-form"));
    await settle();
    expect(text("#rate-error")).toContain("must be an amount in pounds");
    fill("rate", "52");
    submit(document.querySelector<HTMLFormElement>("#rate-form"));
    await settle();
    expect(text("h1")).toBe("Check the new rate");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ rate_pence_per_hour: 5200 });
    expect(window.location.pathname).toBe("/council/officers");
    expect(text(".govuk-notification-banner__heading")).toBe("Rate for Peter Price set to £52.00 per hour");
  });
});
