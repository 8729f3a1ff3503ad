import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking } from "../test/bookings";
import { peter } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import { useBrowserClock } from "../test/clock";

const weeks = ["2026-W50", "2026-W51"].map((week) => ({ availability_id: `av-${week}`, week, week_start: "2026-12-07", available_hours: week === "2026-W50" ? 6 : 4, single_booking: false }));
const people = { items: [{ officer: peter, matched_skills: 0, free_hours: 10, weeks }], total: 1, next_cursor: null };

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("book several weeks", () => {
  it("books the same hours in each week, one booking each with its own idempotency key", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/officers/o2": { status: 200, body: peter },
      "GET /api/v1/search/people": { status: 200, body: people },
      "POST /api/v1/bookings": [
        { status: 201, body: booking({ id: "b1", week: "2026-W50", reference: "WBK-0001" }) },
        { status: 201, body: booking({ id: "b2", week: "2026-W51", reference: "WBK-0002" }) },
      ],
      "GET /api/v1/bookings": { status: 200, body: { items: [], next_cursor: null } },
    });
    await startApp("/book/weeks?officer=o2&week=2026-W51&week=2026-W50");
    expect(text("h1")).toBe("Book Peter Price for 2 weeks");
    expect(calls.find((c) => c.url.startsWith("/api/v1/search/people"))?.url).toContain("from=2026-W50&to=2026-W51");
    fill("hours", "5");
    fill("purpose", "Backlog");
    fill("purchase_order", "PO-7");
    submit(document.querySelector<HTMLFormElement>("#book-weeks-form"));
    await settle();
    expect(text("#hours-error")).toContain("4 hours");  // more than the least free week
    fill("hours", "3");
    submit(document.querySelector<HTMLFormElement>("#book-weeks-form"));
    await settle();
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => (c.body as { week: string }).week)).toEqual(["2026-W50", "2026-W51"]);
    expect(posts.map((c) => (c.body as { hours: number }).hours)).toEqual([3, 3]);
    expect(new Set(posts.map((c) => c.headers["Idempotency-Key"])).size).toBe(2);
    expect(window.location.pathname).toBe("/bookings");
    expect(text(".govuk-notification-banner__heading")).toBe("2 bookings requested for Peter Price");
  });

  it("keeps the weeks that failed on the page, with the reason", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/officers/o2": { status: 200, body: peter },
      "GET /api/v1/search/people": [
        { status: 200, body: people },
        { status: 200, body: { ...people, items: [{ ...people.items[0]!, weeks: [weeks[0]!] }] } },
      ],
      "POST /api/v1/bookings": [
        { status: 201, body: booking({ id: "b1", week: "2026-W50", reference: "WBK-0001", hours: 2 }) },
        { status: 409, body: { status: 409, title: "Conflict", detail: "There are not enough approved hours left." } },
      ],
    });
    await startApp("/book/weeks?officer=o2&week=2026-W50&week=2026-W51");
    fill("hours", "2");
    fill("purpose", "Backlog");
    fill("purchase_order", "PO-7");
    submit(document.querySelector<HTMLFormElement>("#book-weeks-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("w/c 14 Dec 2026: There are not enough approved hours left.");
    expect(text("#booked")).toBe("WBK-0001: 2 hours, w/c 7 Dec 2026");
    expect(text("#none-left")).toBe("Peter Price has no hours left in these weeks.");
  });
});
