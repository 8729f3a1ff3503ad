import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import type { CouncilUser, Invitation, Me } from "../models";
import { user } from "../test/fixtures";
import { validateInvite } from "./council";

const admin: Me = user(["council_admin"], {
  id: "u4",
  email: "alice.admin@westberks.example.gov.uk",
  name: "Alice Admin",
  csrf_token: "csrf-a",
});
const users: CouncilUser[] = [
  { id: "u4", email: admin.email, name: "Alice Admin", roles: ["council_admin"], line_manager_id: null, active: true },
  { id: "u5", email: "x@westberks.example.gov.uk", name: "<X>", roles: ["officer", "manager"], line_manager_id: null, active: false },
];
const invitation: Invitation = {
  id: "i1",
  council_id: "c1",
  created_at: "2026-11-18T10:00:00+00:00",
  email: "new.person@westberks.example.gov.uk",
  name: "New Person",
  roles: ["officer"],
  expires_at: "2026-12-02T10:00:00+00:00",
  accepted_at: null,
};

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("council page", () => {
  it("validates the invitation form", () => {
    expect(validateInvite({ email: "", name: "", roles: [] }).summary.map((e) => e.href)).toEqual([
      "#invite-email",
      "#invite-name",
      "#invite-roles",
    ]);
    expect(validateInvite({ email: "nope", name: "N", roles: ["officer"] }).fields["invite-email"]).toMatch(/correct format/);
  });

  it("lists users and pending invitations, and invites someone", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/users": { status: 200, body: { items: users, next_cursor: null } },
      "GET /api/v1/councils/c1/invitations": [
        { status: 200, body: { items: [], next_cursor: null } },
        { status: 200, body: { items: [invitation], next_cursor: null } },
      ],
      "POST /api/v1/councils/c1/invitations": { status: 201, body: invitation },
    });
    await startApp("/council");
    expect(document.title).toBe("Your council – LocalGov Talent Pool");
    const rows = [...document.querySelectorAll("#users tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim()),
    );
    expect(rows).toEqual([
      ["Alice Admin", admin.email, "Council admin", "Active"],
      ["<X>", "x@westberks.example.gov.uk", "Officer, Manager", "Inactive"],
    ]);
    expect(document.body.textContent).toContain("There are no pending invitations.");

    fill("invite-email", "new.person@westberks.example.gov.uk");
    fill("invite-name", "New Person");
    (document.getElementById("invite-roles") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#invite-form"));
    await settle();

    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/councils/c1/invitations");
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-a");
    expect(post.body).toEqual({ email: "new.person@westberks.example.gov.uk", name: "New Person", roles: ["officer"] });
    expect(text(".govuk-notification-banner__heading")).toBe("Invitation sent to new.person@westberks.example.gov.uk");
    expect(text("#invitations tbody")).toContain("New Person");
    expect(text("#invitations tbody")).toContain("2 December 2026");
    expect((document.getElementById("invite-email") as HTMLInputElement).value).toBe("");
  });

  it("shows a 409 against the email field", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/users": { status: 200, body: { items: users, next_cursor: null } },
      "GET /api/v1/councils/c1/invitations": { status: 200, body: { items: [], next_cursor: null } },
      "POST /api/v1/councils/c1/invitations": {
        status: 409,
        body: { title: "Conflict", status: 409, detail: "This person already has an account" },
      },
    });
    await startApp("/council");
    fill("invite-email", admin.email);
    fill("invite-name", "Alice");
    (document.getElementById("invite-roles-booker") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#invite-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("This person already has an account");
    expect(text("#invite-email-error")).toBe("Error: This person already has an account");
    expect((document.getElementById("invite-roles-booker") as HTMLInputElement).checked).toBe(true);
  });
});
