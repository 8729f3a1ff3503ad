import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../api";
import { startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, edinburgh, mark, peterMe } from "../test/bookings";
import { user } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { Booking } from "../models";
import { rowContext } from "./bookings";
import { useBrowserClock } from "../test/clock";

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

/** Peter, on a server whose clock says it is 2027-W30 (the browser's says 2031). */
const peterLater = { ...peterMe, today: "2027-07-28", current_week: "2027-W30" };

useBrowserClock();

afterEach(() => {
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
    expect([...document.querySelectorAll("#booking-requested th")].map((th) => th.textContent)).toEqual([
      "Week",
      "Officer",
      "Officer's council",
      "Hours",
      "Status",
      "Action",
    ]);
    expect(rows("booking-requested")).toEqual([
      ["w/c 7 Dec 2026", "Peter Price", "West Berkshire Council", "6 hours", "Awaiting answer", `View${rowContext(all[0]!)}`],
    ]);
    expect(rows("booking-upcoming").map((r) => r[4])).toEqual(["Confirmed"]);
    // Started by the server's clock (2026-W48; the browser's says 2031), or with hours reported.
    expect(rows("booking-awaiting").map((r) => [r[0], r[4]])).toEqual([
      ["w/c 16 Nov 2026", "Confirmed No hours reported yet"],
      ["w/c 7 Dec 2026", "Confirmed 5 hours reported"],
    ]);
    expect(document.querySelector("#booking-awaiting a")?.getAttribute("href")).toBe("/bookings/b3#complete");
    expect(rows("booking-completed")[0]![4]).toBe("Completed 5.5 hours worked");
    expect(rows("booking-ended").map((r) => r[4])).toEqual(["Cancelled Late cancellation", "Declined Reason: Peter is <busy>"]);
    expect(document.querySelector("#booking-ended .govuk-tag--orange")?.textContent).toBe("Late cancellation");
    // Bookers neither confirm nor have a calendar.
    expect(document.querySelector("a[href$='/confirm']")).toBeNull();
    expect(document.querySelector("#calendar")).toBeNull();
  });

  it("shows an officer their requests, to confirm after checking or to decline, by the server's week", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: peterLater },
      "GET /api/v1/bookings": list(booking({ id: "b1", week: "2027-W40" }), booking({ id: "b2", status: "confirmed" })),
    });
    await startApp("/bookings");
    expect(calls.map((c) => c.url)).toContain("/api/v1/bookings?side=mine&limit=200");
    expect(document.querySelector("#mine-requested caption")?.textContent).toBe("Requests awaiting me");
    expect(rows("mine-requested")[0]![1]).toBe("Reading Borough Council");
    // Confirming is a link to a page that shows the booking first: nothing is sent from the list.
    expect(document.querySelector("#mine-requested a[href='/bookings/b1/confirm']")?.textContent).toMatch(/^Confirm for Peter Price/);
    expect(document.querySelector("#mine-requested a[href='/bookings/b1/decline']")?.textContent).toMatch(/^Decline for Peter Price/);
    expect(document.querySelector("form[data-confirm]")).toBeNull();
    // 2026-W50 has started by the server's clock (2027-W30), though not by the browser's (2031).
    expect(document.querySelector("#mine-awaiting caption")?.textContent).toBe("Record hours");
    expect(document.querySelector("#mine-awaiting a")?.getAttribute("href")).toBe("/bookings/b2#timesheet");
    expect(text("#mine-awaiting a")).toMatch(/^Record hours for Peter Price/);
    // No requests to the server's calendar of the officer just to learn the week.
    expect(calls.some((c) => c.url.includes("/availability"))).toBe(false);
    // On narrow screens the same actions sit at the foot of each booking's card.
    const card = document.querySelector("#mine-requested-cards > li")!;
    expect(card.querySelector(".govuk-summary-card__title")?.textContent).toBe("w/c 4 Oct 2027");
    expect(card.querySelector(".tp-card-actions a[href='/bookings/b1/confirm']")).not.toBeNull();
  });

  it("gives an officer a new secret calendar address to copy", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: peterLater },
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
    // The officer, and in a column of its own the council that booked them: Edinburgh's name is
    // not put under Peter's, where it would read as his council.
    expect([...document.querySelectorAll("#lending-requested th")].map((th) => th.textContent)).toEqual([
      "Week",
      "Officer",
      "Booked by",
      "Hours",
      "Status",
      "Action",
    ]);
    expect(rows("lending-requested")[0]!.slice(1, 3)).toEqual(["Peter Price", "City of Edinburgh Council"]);
    expect(document.querySelector("#lending-requested a[href='/bookings/b1/confirm']")).not.toBeNull();
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
    expect(document.querySelector("a[href$='/confirm']")).toBeNull();
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
