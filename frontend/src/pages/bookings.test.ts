import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../api";
import { startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, edinburgh, mark, peterMe } from "../test/bookings";
import { user, week } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { Booking } from "../types";
import { weekRange } from "../weeks";
import { rowContext } from "./bookings";

function list(...items: Booking[]) {
  return { status: 200, body: { items, next_cursor: null } };
}

function rows(id: string): string[][] {
  return [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

const all = [
  booking({ id: "b1" }),
  booking({ id: "b2", status: "confirmed" }),
  booking({ id: "b3", status: "confirmed", week: "2026-W47", week_start: "2026-11-16" }),
  booking({ id: "b4", status: "confirmed", timesheet_hours: 5 }),
  booking({ id: "b5", status: "completed", week: "2026-W40", actual_hours: 5.5 }),
  booking({ id: "b6", status: "cancelled", late_cancellation: true }),
  booking({ id: "b7", status: "declined", decline_reason: "Peter is <busy>" }),
];

/** An officer's calendar whose first week, the week it is now by the server's clock, is 2027-W30. */
const laterCalendar = { status: 200, body: { items: weekRange("2027-W30", 12).map((w, i) => week(w, { started: i === 0 })), next_cursor: null } };

beforeEach(() => {
  // The browser's clock: Wednesday of 2026-W48.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-25T10:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
  stopApp();
  setCsrfToken(null);
});

describe("bookings page", () => {
  it("shows a booker their council's bookings by where each is in its life", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": { status: 200, body: bob }, "GET /api/v1/bookings": list(...all) });
    await startApp("/bookings");
    expect(document.title).toBe("Bookings – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Bookings");
    expect(calls.map((c) => c.url)).toContain("/api/v1/bookings?side=booking&limit=200");
    expect([...document.querySelectorAll("caption")].map((c) => c.textContent)).toEqual([
      "Requests awaiting an answer",
      "Upcoming",
      "Awaiting hours",
      "Completed",
      "Declined, expired or cancelled",
    ]);
    expect(rows("booking-requested")).toEqual([
      ["Week 50: 7 Dec to 13 Dec 2026", "Peter Price West Berkshire Council", "6 hours", "Awaiting answer", `View${rowContext(all[0]!)}`],
    ]);
    expect(rows("booking-upcoming").map((r) => r[3])).toEqual(["Confirmed"]);
    // Started by the browser's clock, or with hours reported already.
    expect(rows("booking-awaiting").map((r) => [r[0], r[3]])).toEqual([
      ["Week 47: 16 Nov to 22 Nov 2026", "Confirmed No hours reported yet"],
      ["Week 50: 7 Dec to 13 Dec 2026", "Confirmed 5 hours reported"],
    ]);
    expect(document.querySelector("#booking-awaiting a")?.getAttribute("href")).toBe("/bookings/b3#complete");
    expect(rows("booking-completed")[0]![3]).toBe("Completed 5.5 hours worked");
    expect(rows("booking-ended").map((r) => r[3])).toEqual(["Cancelled Late cancellation", "Declined Reason: Peter is <busy>"]);
    expect(document.querySelector("#booking-ended .govuk-tag--orange")?.textContent).toBe("Late cancellation");
    // Bookers neither confirm nor have a calendar.
    expect(document.querySelector("form[data-confirm]")).toBeNull();
    expect(document.querySelector("#calendar")).toBeNull();
  });

  it("shows an officer their requests, with confirm and decline, by the server's week", async () => {
    const confirmed = booking({ id: "b1", status: "confirmed", decided_at: "2026-11-25T11:00:00+00:00" });
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: peterMe },
      "GET /api/v1/officers/me/availability": laterCalendar,
      "GET /api/v1/bookings": [
        list(booking({ id: "b1", week: "2027-W40" }), booking({ id: "b2", status: "confirmed" })),
        list(booking({ ...confirmed, week: "2027-W40" }), booking({ id: "b2", status: "confirmed" })),
      ],
      "POST /api/v1/bookings/b1/confirm": { status: 200, body: confirmed },
    });
    await startApp("/bookings");
    expect(calls.map((c) => c.url)).toContain("/api/v1/bookings?side=mine&limit=200");
    expect(document.querySelector("#mine-requested caption")?.textContent).toBe("Requests awaiting me");
    expect(rows("mine-requested")[0]![1]).toBe("Reading Borough Council");
    expect(document.querySelector("#mine-requested a[href='/bookings/b1/decline']")?.textContent).toMatch(/^Decline for Peter Price/);
    // 2026-W50 has started by the server's clock (2027-W30), though not by the browser's.
    expect(document.querySelector("#mine-awaiting caption")?.textContent).toBe("Record hours");
    expect(document.querySelector("#mine-awaiting a")?.getAttribute("href")).toBe("/bookings/b2#timesheet");
    expect(text("#mine-awaiting a")).toMatch(/^Record hours for Peter Price/);

    submit(document.querySelector<HTMLFormElement>("form[data-confirm='b1']"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/confirm");
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-p");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking confirmed: Peter Price, Week 50: 7 Dec to 13 Dec 2026");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect(text("#mine-requested-caption")).toBe("Requests awaiting me");
    expect(document.querySelector("form[data-confirm]")).toBeNull();
    expect(rows("mine-upcoming").map((r) => r[0])).toEqual(["Week 40: 4 Oct to 10 Oct 2027"]);
  });

  it("shows a refusal to confirm in the error summary", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: peterMe },
      "GET /api/v1/officers/me/availability": laterCalendar,
      "GET /api/v1/bookings": list(booking({ week: "2027-W40" })),
      "POST /api/v1/bookings/b1/confirm": { status: 409, body: { status: 409, detail: "This booking is expired, so it cannot be confirmed." } },
    });
    await startApp("/bookings");
    submit(document.querySelector<HTMLFormElement>("form[data-confirm='b1']"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("This booking is expired, so it cannot be confirmed.");
    expect(document.title).toBe("Error: Bookings – LocalGov Talent Pool");
  });

  it("gives an officer a new secret calendar address to copy", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: peterMe },
      "GET /api/v1/officers/me/availability": laterCalendar,
      "GET /api/v1/bookings": list(),
      "POST /api/v1/officers/me/calendar": [
        { status: 200, body: { url: "https://tp.example/api/v1/calendar/abc.ics" } },
        { status: 200, body: { url: "https://tp.example/api/v1/calendar/def.ics" } },
      ],
    });
    await startApp("/bookings");
    expect(text("#calendar")).toBe("Your calendar");
    expect(document.querySelector("#calendar-url")).toBeNull();
    expect(document.body.textContent).toContain("a new one replaces it: calendars using the old address stop updating");
    submit(document.querySelector<HTMLFormElement>("#calendar-form"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/officers/me/calendar"]);
    const input = document.getElementById("calendar-url") as HTMLInputElement;
    expect(input.value).toBe("https://tp.example/api/v1/calendar/abc.ics");
    expect(input.readOnly).toBe(true);
    expect(document.querySelector("label[for=calendar-url]")?.textContent).toBe("Your calendar address");
    expect(document.activeElement).toBe(input);
    expect(text("#calendar-url-hint")).toContain("Any address you had before has stopped working.");
    (document.getElementById("copy-calendar") as HTMLButtonElement).click();
    await settle();
    expect(writeText).toHaveBeenCalledWith("https://tp.example/api/v1/calendar/abc.ics");
    expect(text("#copy-status")).toBe("Address copied");

    expect(text("#calendar-form button")).toBe("Get another calendar address");
    submit(document.querySelector<HTMLFormElement>("#calendar-form"));
    await settle();
    expect((document.getElementById("calendar-url") as HTMLInputElement).value).toBe("https://tp.example/api/v1/calendar/def.ics");
  });

  it("shows a manager the requests for their officers", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: mark },
      "GET /api/v1/bookings": list(booking({ booking_council: edinburgh })),
    });
    await startApp("/bookings");
    expect(calls.map((c) => c.url)).toContain("/api/v1/bookings?side=lending&limit=200");
    expect(text("#lending-requested caption")).toBe("Requests for your officers");
    expect(rows("lending-requested")[0]![1]).toBe("Peter Price City of Edinburgh Council");
    expect(document.querySelector("#lending-requested form[data-confirm='b1']")).not.toBeNull();
    expect(document.querySelector("#lending-requested a[href='/bookings/b1/decline']")).not.toBeNull();
    expect(document.querySelector("#calendar")).toBeNull();
  });

  it("offers council admins no answer to requests, which only managers give", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: user(["council_admin"]) },
      "GET /api/v1/bookings": list(booking()),
    });
    await startApp("/bookings");
    expect(document.querySelector("#lending-requested")).not.toBeNull();
    expect(document.querySelector("form[data-confirm]")).toBeNull();
    expect(document.querySelector("a[href$='/decline']")).toBeNull();
  });

  it("puts each side under its own heading for people with several roles", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: user(["manager", "booker"], { council: edinburgh }) },
      "GET /api/v1/bookings": list(),
    });
    await startApp("/bookings");
    expect(calls.filter((c) => c.url.startsWith("/api/v1/bookings")).map((c) => c.url)).toEqual([
      "/api/v1/bookings?side=booking&limit=200",
      "/api/v1/bookings?side=lending&limit=200",
    ]);
    expect([...document.querySelectorAll("main h2")].map((h) => h.textContent)).toEqual([
      "Bookings your council has made",
      "Bookings of your council's officers",
    ]);
    expect(document.querySelectorAll("main h3")).toHaveLength(10);
    expect(text("#booking-requested-caption")).toBe("Requests awaiting an answer");
    expect(document.body.textContent).toContain("There are no requests waiting.");
  });

  it("follows the list's cursor", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/bookings": [
        { status: 200, body: { items: [booking({ id: "b1" })], next_cursor: "next-1" } },
        list(booking({ id: "b2", status: "confirmed" })),
      ],
    });
    await startApp("/bookings");
    expect(calls.filter((c) => c.url.startsWith("/api/v1/bookings")).map((c) => c.url)).toEqual([
      "/api/v1/bookings?side=booking&limit=200",
      "/api/v1/bookings?side=booking&limit=200&cursor=next-1",
    ]);
    expect(rows("booking-upcoming")).toHaveLength(1);
  });
});
