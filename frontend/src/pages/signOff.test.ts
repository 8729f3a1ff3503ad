import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { approval, peter, user } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { OfficerProfile, Permission } from "../models";
import { bulkBanner, validatePermission } from "./signOff";

const mark = user(["manager"], { id: "u3", name: "Mark Mensah", officer_id: null, csrf_token: "csrf-m" });
const olivia: OfficerProfile = { ...peter, id: "o1", display_name: "Olivia Okafor", job_title: "Senior user researcher", skills: [] };
const permission: Permission = {
  id: "p1",
  officer_id: "o1",
  max_hours_per_week: 7.5,
  valid_from: "2026-12-01",
  valid_until: null,
  created_by_id: "u3",
  created_at: "2026-11-25T10:00:00+00:00",
  ended_at: null,
  active: true,
};
const oliviaRef = { id: olivia.id, display_name: olivia.display_name, job_title: olivia.job_title };
// Peter's two weeks, with Olivia's week between them in the API's order.
const queue = [
  approval("a1", "2026-W49"),
  approval("a3", "2026-W49", { officer_id: "o1", officer: oliviaRef, pending_hours: 7.5, hours: 7.5 }),
  approval("a2", "2026-W50", { approved_hours: 2, hours: 5, bank_holidays: [{ date: "2026-12-08", name: "A holiday" }] }),
];

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: mark },
    "GET /api/v1/approvals": { status: 200, body: { items: queue, next_cursor: null } },
    "GET /api/v1/officers": { status: 200, body: { items: [olivia, peter], next_cursor: null } },
    "GET /api/v1/officers/o1/permissions": { status: 200, body: { items: [permission, { ...permission, id: "p0", active: false }], next_cursor: null } },
    "GET /api/v1/officers/o2/permissions": { status: 200, body: { items: [], next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("sign-off helpers", () => {
  it("checks a standing permission", () => {
    const empty = validatePermission({ officer_id: "", max_hours: "", from: { day: "", month: "", year: "" }, until: { day: "", month: "", year: "" } });
    expect(empty.errors.summary.map((e) => e.href)).toEqual(["#permission-officer", "#permission-hours", "#permission-from-day"]);
    const backwards = validatePermission({
      officer_id: "o1",
      max_hours: "7.5",
      from: { day: "1", month: "12", year: "2026" },
      until: { day: "30", month: "11", year: "2026" },
    });
    expect(backwards.errors.fields["permission-until-day"]).toBe("The end date must be the same as or after the start date");
    expect(
      validatePermission({ officer_id: "o1", max_hours: "7.5", from: { day: "1", month: "12", year: "2026" }, until: { day: "", month: "", year: "" } }).body,
    ).toEqual({ max_hours_per_week: 7.5, valid_from: "2026-12-01" });
  });

  it("says what approving all did", () => {
    expect(bulkBanner({ approved: [approval("a1", "2026-W49"), approval("a2", "2026-W50")], skipped: [] })).toEqual({
      heading: "2 weeks approved",
      text: "Hours for Peter Price can be booked by other councils now.",
      success: true,
    });
    expect(bulkBanner({ approved: [], skipped: [{ id: "a1", reason: "the week w/c 23 Nov 2026 has started" }] })).toEqual({
      heading: "No weeks were approved",
      text: "1 not approved: the week w/c 23 Nov 2026 has started.",
      success: false,
    });
  });
});

describe("sign-off page", () => {
  it("lists the weeks waiting, one row per officer with their weeks, and the active permissions", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/sign-off");
    expect(document.title).toBe("Sign-off – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Sign-off");
    expect(calls.find((c) => c.url.startsWith("/api/v1/approvals"))?.url).toBe("/api/v1/approvals?status=pending&limit=200");
    const tidy = (node: Element) => node.textContent?.replace(/\s+/g, " ").trim();
    const rows = [...document.querySelectorAll("#queue tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => (td.querySelector("li") ? [...td.querySelectorAll("li")].map(tidy) : tidy(td))),
    );
    expect(rows).toEqual([
      [
        "Peter Price Principal planning officer",
        [
          "w/c 30 Nov 2026: 3 hours Reject 3 hours for Peter Price, w/c 30 Nov 2026",
          "w/c 7 Dec 2026: 3 hours (2 hours approved before) Bank holiday: A holiday Reject 3 hours for Peter Price, w/c 7 Dec 2026",
        ],
        "6 hours in 2 weeks",
        "Approve 2 weeks for Peter Price",
      ],
      ["Olivia Okafor Senior user researcher", ["w/c 30 Nov 2026: 7.5 hours Reject 7.5 hours for Olivia Okafor, w/c 30 Nov 2026"], "7.5 hours in 1 week", "Approve 1 week for Olivia Okafor"],
    ]);
    expect(document.querySelector("#queue a[href='/sign-off/a1/reject']")).not.toBeNull();
    // On narrow screens, a summary card for each officer, with the button at its foot.
    const cards = [...document.querySelectorAll("#queue-cards > li")];
    expect(cards.map((card) => card.querySelector(".govuk-summary-card__title")?.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Peter Price Principal planning officer",
      "Olivia Okafor Senior user researcher",
    ]);
    expect(cards[0]!.querySelector(".tp-card-actions form[data-approve-officer='o2'] button")).not.toBeNull();
    const permissions = [...document.querySelectorAll("#permissions-table tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].slice(0, 4).map((td) => td.textContent?.trim()),
    );
    expect(permissions).toEqual([["Olivia Okafor", "7.5 hours a week", "1 December 2026", "No end date"]]);
    const options = [...(document.getElementById("permission-officer") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(["Select an officer", "Olivia Okafor (Senior user researcher)", "Peter Price (Principal planning officer)"]);
  });

  it("approves all the weeks shown", async () => {
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/approvals/approve": { status: 200, body: { approved: queue.map((q) => ({ ...q, status: "approved" })), skipped: [] } },
        "GET /api/v1/approvals": [
          { status: 200, body: { items: queue, next_cursor: null } },
          { status: 200, body: { items: [], next_cursor: null } },
        ],
      }),
    );
    await startApp("/sign-off");
    submit(document.querySelector<HTMLFormElement>("#approve-all-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-m");
    expect(post.body).toEqual({ ids: ["a1", "a3", "a2"] });
    expect(text(".govuk-notification-banner__heading")).toBe("3 weeks approved");
    expect(text(".govuk-notification-banner")).toContain("Hours for Peter Price and Olivia Okafor can be booked");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect(document.body.textContent).toContain("Nothing is waiting for sign-off.");
    expect(document.querySelector("#approve-all-form")).toBeNull();
  });

  it("approves one officer's weeks", async () => {
    const peters = [queue[0]!, queue[2]!].map((q) => ({ ...q, status: "approved" as const }));
    const { calls } = mockFetch(routes({ "POST /api/v1/approvals/approve": { status: 200, body: { approved: peters, skipped: [] } } }));
    await startApp("/sign-off");
    submit(document.querySelector<HTMLFormElement>("form[data-approve-officer='o2']"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ ids: ["a1", "a2"] });
    expect(text(".govuk-notification-banner__heading")).toBe("2 weeks approved");
    expect(text(".govuk-notification-banner")).toContain("Hours for Peter Price can be booked");
  });

  it("shows a refusal in the error summary, without the server's full stop", async () => {
    mockFetch(
      routes({
        "POST /api/v1/approvals/approve": { status: 409, body: { title: "Conflict", status: 409, detail: "The week w/c 30 Nov 2026 is not waiting for sign-off (it is approved)." } },
      }),
    );
    await startApp("/sign-off");
    submit(document.querySelector<HTMLFormElement>("form[data-approve-officer='o1']"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("The week w/c 30 Nov 2026 is not waiting for sign-off (it is approved)");
    expect(document.title).toBe("Error: Sign-off – LocalGov Talent Pool");
  });

  it("gives and ends standing permissions", async () => {
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/officers/o2/permissions": { status: 201, body: { ...permission, id: "p2", officer_id: "o2" } },
        "DELETE /api/v1/permissions/p1": { status: 204 },
      }),
    );
    await startApp("/sign-off");
    submit(document.querySelector<HTMLFormElement>("#permission-form"));
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(text("#permission-officer-error")).toBe("Error: Select the officer");

    (document.getElementById("permission-officer") as HTMLSelectElement).value = "o2";
    fill("permission-hours", "7.5");
    fill("permission-from-day", "1");
    fill("permission-from-month", "12");
    fill("permission-from-year", "2026");
    fill("permission-until-day", "31");
    fill("permission-until-month", "3");
    fill("permission-until-year", "2027");
    submit(document.querySelector<HTMLFormElement>("#permission-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ max_hours_per_week: 7.5, valid_from: "2026-12-01", valid_until: "2027-03-31" });
    expect(text(".govuk-notification-banner__heading")).toBe("Standing permission given to Peter Price");
    expect(text(".govuk-notification-banner")).toContain("Up to 7.5 hours a week from 1 December 2026 to 31 March 2027");
    expect((document.getElementById("permission-hours") as HTMLInputElement).value).toBe("");

    submit(document.querySelector<HTMLFormElement>("form[data-end='p1']"));
    await settle();
    expect(calls.find((c) => c.method === "DELETE")?.url).toBe("/api/v1/permissions/p1");
    expect(text(".govuk-notification-banner__heading")).toBe("Standing permission ended for Olivia Okafor");
  });

  it("maps the server's permission errors to the date fields", async () => {
    mockFetch(
      routes({
        "POST /api/v1/officers/o1/permissions": {
          status: 422,
          body: { title: "Invalid input", status: 422, errors: [{ loc: ["body", "valid_until"], msg: "This permission would already have ended." }] },
        },
      }),
    );
    await startApp("/sign-off");
    (document.getElementById("permission-officer") as HTMLSelectElement).value = "o1";
    fill("permission-hours", "3");
    fill("permission-from-day", "1");
    fill("permission-from-month", "1");
    fill("permission-from-year", "2026");
    fill("permission-until-day", "2");
    fill("permission-until-month", "1");
    fill("permission-until-year", "2026");
    submit(document.querySelector<HTMLFormElement>("#permission-form"));
    await settle();
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#permission-until-day");
    expect(text("#permission-until-error")).toBe("Error: This permission would already have ended");
    expect((document.getElementById("permission-until-day") as HTMLInputElement).value).toBe("2");
  });

  it("leaves the manager's own officer profile out of the permission form", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: { ...mark, roles: ["manager", "officer"], officer_id: "o1" } } }));
    await startApp("/sign-off");
    const options = [...(document.getElementById("permission-officer") as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(["", "o2"]);
  });

  it("is for managers only", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: user(["booker"]) } }));
    await startApp("/sign-off");
    expect(text("h1")).toBe("You cannot use this page");
  });

  it("sends the emailed /approvals link to sign-off", async () => {
    mockFetch(routes());
    await startApp("/approvals");
    expect(window.location.pathname).toBe("/sign-off");
    expect(text("h1")).toBe("Sign-off");
  });
});

