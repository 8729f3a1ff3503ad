import { afterEach, describe, expect, it } from "vitest";
import { ProblemError, setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { user, week, westBerks } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { Availability, Officer, Week } from "../models";
import { weekRange } from "../weeks";
import { useBrowserClock } from "../test/clock";
import { calendarPath, firstOpen, isConsentProblem, planBanner, validatePlan } from "./availability";

const officerMe = user(["officer"], { name: "Peter Price", officer_id: "o2" });
const consented: Officer = {
  id: "o2",
  council: westBerks,
  display_name: "Peter Price",
  job_title: "Principal planning officer",
  summary: "",
  skills: [],
  visible: true,
  rate_pence_per_hour: 4500,
  rate_is_council_default: true,
  consent_version: "2026-1",
  consented_at: "2026-11-20T10:00:00+00:00",
  consent_current: true,
};

function calendar(listed: Partial<Record<string, Partial<Week>>> = {}): Week[] {
  return weekRange("2026-W48", 12).map((text, i) => week(text, { started: i === 0, ...listed[text] }));
}

const christmas = {
  "2026-W52": {
    working_days: 4,
    bank_holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
  },
};

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: officerMe },
    "GET /api/v1/officers/me": { status: 200, body: consented },
    "GET /api/v1/officers/me/availability": { status: 200, body: { items: calendar(christmas), next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function planned(from: string, weeks: number, status: Availability["status"] = "pending"): Availability[] {
  return weekRange(from, weeks).map((text, i) => ({
    ...week(text, { id: `a${i}`, hours: 3, pending_hours: status === "pending" ? 3 : 0, approved_hours: status === "approved" ? 3 : 0, status }),
    id: `a${i}`,
    status,
    officer_id: "o2",
    decided_by_id: null,
    decided_at: null,
    updated_at: "2026-11-25T10:00:00+00:00",
  }));
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("availability helpers", () => {
  it("checks the run of weeks", () => {
    const empty = validatePlan({ from_week: "2026-W49", weeks: "", hours: "", single_booking: false });
    expect(empty.body).toBeNull();
    expect(empty.errors.summary).toEqual([
      { text: "Enter the number of weeks", href: "#plan-weeks" },
      { text: "Enter the hours you can offer each week", href: "#plan-hours" },
    ]);
    expect(validatePlan({ from_week: "2026-W49", weeks: "12", hours: "3.1", single_booking: false }).errors.fields["plan-hours"]).toMatch(
      /quarter hours/,
    );
    expect(validatePlan({ from_week: "2026-W49", weeks: "53", hours: "3", single_booking: false }).errors.fields["plan-weeks"]).toMatch(/between 1 and 52/);
    expect(validatePlan({ from_week: "nope", weeks: "1", hours: "3", single_booking: false }).errors.fields["plan-from"]).toBe("Select the first week");
    expect(validatePlan({ from_week: "2026-W49", weeks: "12", hours: "7.25", single_booking: true }).body).toEqual({
      from_week: "2026-W49",
      weeks: 12,
      hours: 7.25,
      single_booking: true,
    });
  });

  it("finds the first week that can be listed from the server's calendar", () => {
    // The week after the server's week (from /me)…
    expect(firstOpen(calendar(), "2026-W48")).toBe("2026-W49");
    expect(firstOpen(weekRange("2027-W10", 3).map((w) => week(w)), "2026-W48")).toBe("2026-W49");
    expect(firstOpen(weekRange("2026-W10", 3).map((w) => week(w, { started: true })), "2026-W48")).toBe("2026-W49");
    // …unless the calendar, fetched later, says the day has moved on to another week.
    expect(firstOpen(weekRange("2026-W48", 3).map((w, i) => week(w, { started: i < 2 })), "2026-W48")).toBe("2026-W50");
  });

  it("asks for 12 weeks from the week in the address, or the API's default", () => {
    expect(calendarPath(null)).toBe("/officers/me/availability");
    expect(calendarPath("2026-W49")).toBe("/officers/me/availability?from=2026-W49&to=2027-W07");
  });

  it("recognises the consent refusal", () => {
    expect(isConsentProblem(new ProblemError(409, { detail: "Record your consent to being placed with other councils" }))).toBe(true);
    expect(isConsentProblem(new ProblemError(409, { detail: "2026-W49 already has 3 hours booked" }))).toBe(false);
  });

  it("says what happens to the weeks listed", () => {
    const body = { from_week: "2026-W49", weeks: 12, hours: 3, single_booking: false };
    expect(planBanner(body, planned("2026-W49", 12))).toEqual({
      heading: "3 hours a week listed for 12 weeks",
      text: "From w/c 30 Nov 2026, to w/c 15 Feb 2027. They are waiting for sign-off by your manager.",
      success: true,
    });
    expect(planBanner(body, planned("2026-W49", 2, "approved")).text).toMatch(/standing permission/);
  });
});

useBrowserClock();

describe("availability page", () => {
  it("shows the coming weeks with hours, status, bank holidays and working days", async () => {
    mockFetch(
      routes({
        "GET /api/v1/officers/me/availability": {
          status: 200,
          body: {
            items: calendar({
              ...christmas,
              "2026-W49": { id: "a1", hours: 7.5, approved_hours: 7.5, booked_hours: 3, status: "approved" },
              "2026-W50": { id: "a2", hours: 3, pending_hours: 3, status: "pending" },
              "2026-W51": { id: "a3", hours: 0, status: "rejected", reject_reason: "Team <busy>" },
            }),
            next_cursor: null,
          },
        },
      }),
    );
    await startApp("/availability");
    expect(document.title).toBe("Your availability – LocalGov Talent Pool");
    expect(text("h1")).toBe("Your availability");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Your availability");
    const rows = [...document.querySelectorAll("#weeks tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent?.replace(/\s+/g, " ").trim()),
    );
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual(["w/c 23 Nov 2026", "0 hours", "0 hours", "0 hours", "Not listed", "5", "Started"]);
    expect(rows[1]).toEqual(["w/c 30 Nov 2026", "7.5 hours", "7.5 hours", "3 hours", "Approved", "5", "Change for w/c 30 Nov 2026"]);
    expect(rows[2]![4]).toBe("Waiting for sign-off");
    expect(rows[3]![4]).toBe("Rejected Reason: Team <busy>");
    expect(rows[4]![0]).toBe("w/c 21 Dec 2026 Bank holiday: Christmas Day");
    expect(rows[4]![5]).toBe("4");
    expect(document.querySelector("#weeks tbody tr:nth-child(2) .govuk-tag")?.className).toContain("govuk-tag--green");
    expect(document.querySelector("#weeks tbody tr:nth-child(2) a")?.getAttribute("href")).toBe("/availability/2026-W49");
    expect(document.querySelector("#weeks tbody tr:nth-child(4) a")?.textContent).toMatch(/^List hours/);
    // On narrow screens each week is a summary card, with its action at the foot.
    const cards = [...document.querySelectorAll("#weeks-cards > li")];
    expect(cards).toHaveLength(12);
    expect(cards[1]!.querySelector(".govuk-summary-card__title")?.textContent?.trim()).toBe("w/c 30 Nov 2026");
    expect(cards[1]!.querySelector(".tp-card-actions a")?.getAttribute("href")).toBe("/availability/2026-W49");
    // Run of weeks: starts from the first week that has not started by the server's clock
    // (the browser's says 2031).
    const from = document.getElementById("plan-from") as HTMLSelectElement;
    expect(from.value).toBe("2026-W49");
    expect(from.options[0]!.textContent).toBe("w/c 30 Nov 2026");
    expect(from.options).toHaveLength(52);
    expect(document.getElementById("plan-hours")?.getAttribute("inputmode")).toBe("decimal");
    expect(document.getElementById("plan-weeks")?.getAttribute("inputmode")).toBe("numeric");
    expect(document.querySelector("#consent-warning")).toBeNull();
    // Earlier and later weeks.
    expect(document.querySelector("a[rel=prev]")?.getAttribute("href")).toBe("/availability?from=2026-W36");
    expect(document.querySelector("a[rel=next]")?.getAttribute("href")).toBe("/availability?from=2027-W07");
  });

  it("adds a run of weeks and shows a success banner", async () => {
    const after = calendar({ ...christmas, ...Object.fromEntries(weekRange("2026-W49", 11).map((w) => [w, { id: w, hours: 3, pending_hours: 3, status: "pending" as const }])) });
    const { calls } = mockFetch(
      routes({
        "GET /api/v1/officers/me/availability": [
          { status: 200, body: { items: calendar(christmas), next_cursor: null } },
          { status: 200, body: { items: after, next_cursor: null } },
        ],
        "POST /api/v1/officers/me/availability/plan": { status: 200, body: { items: planned("2026-W49", 12), next_cursor: null } },
      }),
    );
    await startApp("/availability");
    fill("plan-weeks", "12");
    fill("plan-hours", " 3 ");
    (document.getElementById("plan-single") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#plan-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/officers/me/availability/plan");
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(post.body).toEqual({ from_week: "2026-W49", weeks: 12, hours: 3, single_booking: true });
    expect(text(".govuk-notification-banner__heading")).toBe("3 hours a week listed for 12 weeks");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect(text("#weeks tbody tr:nth-child(2)")).toContain("Waiting for sign-off");
    expect((document.getElementById("plan-hours") as HTMLInputElement).value).toBe("");
  });

  it("checks the form before asking the server", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/availability");
    fill("plan-weeks", "12");
    fill("plan-hours", "2.4");
    submit(document.querySelector<HTMLFormElement>("#plan-form"));
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(document.title).toBe("Error: Your availability – LocalGov Talent Pool");
    expect(text("#plan-hours-error")).toBe("Error: Hours per week must be in quarter hours, like 7.25, 7.5 or 7.75");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#plan-hours");
    expect((document.getElementById("plan-weeks") as HTMLInputElement).value).toBe("12");
  });

  it("sends people who have not given consent to their profile", async () => {
    mockFetch(
      routes({
        "GET /api/v1/officers/me": { status: 200, body: { ...consented, consent_version: null, consented_at: null, consent_current: false } },
        "POST /api/v1/officers/me/availability/plan": {
          status: 409,
          body: {
            title: "Conflict",
            status: 409,
            detail: "Record your consent to being placed with other councils (section 113) before listing hours: POST /api/v1/officers/me/consent.",
          },
        },
      }),
    );
    await startApp("/availability");
    expect(document.querySelector("#consent-warning a")?.getAttribute("href")).toBe("/profile#consent");
    fill("plan-weeks", "4");
    fill("plan-hours", "3");
    submit(document.querySelector<HTMLFormElement>("#plan-form"));
    await settle();
    const link = document.querySelector<HTMLAnchorElement>(".govuk-error-summary a")!;
    expect(link.getAttribute("href")).toBe("/profile#consent");
    expect(link.textContent).toMatch(/^Give your consent/);
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
    expect(text(".govuk-error-summary")).not.toContain("POST /api");
  });

  it("shows the server's field errors by the fields", async () => {
    mockFetch(
      routes({
        "POST /api/v1/officers/me/availability/plan": {
          status: 422,
          body: { title: "Invalid input", status: 422, errors: [{ loc: ["body", "from_week"], msg: "Value error, 2026-W48 has started" }] },
        },
      }),
    );
    await startApp("/availability");
    fill("plan-weeks", "1");
    fill("plan-hours", "3");
    submit(document.querySelector<HTMLFormElement>("#plan-form"));
    await settle();
    expect(text("#plan-from-error")).toBe("Error: 2026-W48 has started");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#plan-from");
  });

  it("shows the weeks from the week in the address", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/availability?from=2027-W08");
    expect(calls.find((c) => c.url.includes("/availability?"))?.url).toBe("/api/v1/officers/me/availability?from=2027-W08&to=2027-W19");
  });
});
