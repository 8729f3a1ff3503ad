import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { user, week } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { Availability, Week } from "../models";
import { canWithdraw, weekValues } from "./availabilityWeek";

const officerMe = user(["officer"], { officer_id: "o2" });
const officer = { id: "o2", consent_current: true };

function saved(w: Week): Availability {
  return { ...w, id: w.id ?? "a1", status: w.status ?? "pending", officer_id: "o2", decided_by_id: null, decided_at: null, updated_at: "2026-11-25T10:00:00+00:00" };
}

function routes(the: Week, extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: officerMe },
    "GET /api/v1/officers/me": { status: 200, body: officer },
    // The week page asks for one week; back on "Your availability", the calendar.
    "GET /api/v1/officers/me/availability": [
      { status: 200, body: { items: [the], next_cursor: null } },
      { status: 200, body: { items: [the], next_cursor: null } },
    ],
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("one week", () => {
  it("fills the form from the week", () => {
    expect(weekValues(week("2026-W49", { hours: 7.5, single_booking: true }))).toEqual({ hours: "7.5", single_booking: true });
    expect(weekValues(week("2026-W49"))).toEqual({ hours: "", single_booking: false });
    expect(canWithdraw(week("2026-W49", { id: "a1", hours: 3, booked_hours: 3 }))).toBe(false);
    expect(canWithdraw(week("2026-W49", { id: "a1", hours: 3, booked_hours: 1 }))).toBe(true);
    expect(canWithdraw(week("2026-W49"))).toBe(false);
  });

  it("shows the week and saves new hours", async () => {
    const the = week("2026-W52", {
      id: "a1",
      hours: 3,
      approved_hours: 3,
      status: "approved",
      working_days: 4,
      bank_holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
    });
    const { calls } = mockFetch(
      routes(the, {
        "PUT /api/v1/officers/me/availability/2026-W52": {
          status: 200,
          body: saved({ ...the, hours: 7.5, pending_hours: 4.5, status: "pending", single_booking: true }),
        },
      }),
    );
    await startApp("/availability/2026-W52");
    expect(document.title).toBe("Change your hours – LocalGov Talent Pool");
    expect(text("h1")).toBe("w/c 21 Dec 2026");
    expect(calls.find((c) => c.url.includes("availability?"))?.url).toBe("/api/v1/officers/me/availability?from=2026-W52&to=2026-W52");
    expect(text(".govuk-summary-list")).toContain("Christmas Day, 25 December 2026");
    expect((document.getElementById("hours") as HTMLInputElement).value).toBe("3");
    expect(document.getElementById("hours")?.getAttribute("inputmode")).toBe("decimal");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Your availability");

    fill("hours", "7.5");
    (document.getElementById("single_booking") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#week-form"));
    await settle();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ hours: 7.5, single_booking: true });
    expect(window.location.pathname).toBe("/availability");
    expect(text(".govuk-notification-banner__heading")).toBe("w/c 21 Dec 2026: 7.5 hours offered");
    expect(text(".govuk-notification-banner")).toContain("waiting for sign-off");
  });

  it("checks quarter hours in the page and shows the server's refusal by the field", async () => {
    const the = week("2026-W49", { id: "a1", hours: 3, approved_hours: 3, booked_hours: 3, status: "approved" });
    const { calls } = mockFetch(
      routes(the, {
        "PUT /api/v1/officers/me/availability/2026-W49": {
          status: 409,
          body: { title: "Conflict", status: 409, detail: "2026-W49 already has 3 hours booked; it cannot be lowered below that." },
        },
      }),
    );
    await startApp("/availability/2026-W49");
    expect(document.querySelector("#withdraw-link")).toBeNull(); // all booked: nothing to withdraw
    fill("hours", "1.1");
    submit(document.querySelector<HTMLFormElement>("#week-form"));
    await settle();
    expect(calls.some((c) => c.method === "PUT")).toBe(false);
    expect(text("#hours-error")).toBe("Error: Hours must be in quarter hours, like 7.25, 7.5 or 7.75");

    fill("hours", "1");
    submit(document.querySelector<HTMLFormElement>("#week-form"));
    await settle();
    // The server's sentence, without the full stop GOV.UK error messages do not have.
    expect(text("#hours-error")).toBe("Error: 2026-W49 already has 3 hours booked; it cannot be lowered below that");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#hours");
    expect(document.title).toBe("Error: Change your hours – LocalGov Talent Pool");
  });

  it("withdraws a week after a page that says which hours will go", async () => {
    const the = week("2026-W49", { id: "a1", hours: 7.5, approved_hours: 7.5, booked_hours: 3, status: "approved" });
    const calendar = { status: 200, body: { items: [the], next_cursor: null } };
    const { calls } = mockFetch(
      routes(the, {
        "GET /api/v1/officers/me/availability": [calendar, calendar, calendar],
        "DELETE /api/v1/officers/me/availability/2026-W49": { status: 200, body: saved({ ...the, hours: 3, approved_hours: 3 }) },
      }),
    );
    await startApp("/availability/2026-W49");
    document.querySelector<HTMLAnchorElement>("#withdraw-link")!.click();
    await settle();
    // Nothing has gone yet: the page says what will.
    expect(window.location.pathname).toBe("/availability/2026-W49/withdraw");
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    expect(document.title).toBe("Check before you withdraw these hours – LocalGov Talent Pool");
    expect(text("#withdrawn-hours")).toBe("4.5 hours");
    expect(text(".govuk-summary-list")).toContain("Booked hours that stay booked 3 hours");
    expect(text("#withdraw-form button")).toBe("Withdraw 4.5 hours");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/availability/2026-W49");
    submit(document.querySelector<HTMLFormElement>("#withdraw-form"));
    await settle();
    expect(calls.find((c) => c.method === "DELETE")?.headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(window.location.pathname).toBe("/availability");
    expect(text(".govuk-notification-banner__heading")).toBe("w/c 30 Nov 2026: 4.5 hours withdrawn");
    expect(text(".govuk-notification-banner")).toContain("The 3 hours already booked stay booked.");
  });

  it("has nothing to withdraw when every hour is booked", async () => {
    mockFetch(routes(week("2026-W49", { id: "a1", hours: 3, approved_hours: 3, booked_hours: 3, status: "approved" })));
    await startApp("/availability/2026-W49/withdraw");
    expect(document.querySelector("#withdraw-form")).toBeNull();
    expect(text("#nothing-to-withdraw")).toBe("There are no unbooked hours to withdraw in this week.");
  });

  it("shows a week that has started without forms", async () => {
    mockFetch(routes(week("2026-W48", { started: true })));
    await startApp("/availability/2026-W48");
    expect(document.querySelector("form#week-form")).toBeNull();
    expect(document.body.textContent).toContain("This week has started");
  });

  it("says Page not found for something that is not a week", async () => {
    mockFetch(routes(week("2026-W49")));
    await startApp("/availability/2026-W99");
    expect(text("h1")).toBe("Page not found");
  });
});
