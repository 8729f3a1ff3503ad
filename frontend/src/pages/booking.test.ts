import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, event, mark, peterMe } from "../test/bookings";
import { mockFetch, settle } from "../test/fetchMock";
import type { Booking } from "../models";
import { bookingRows, validateCompletion, validateTimesheet } from "./booking";
import { useBrowserClock } from "../test/clock";

const history = [
  event("booking.confirm", "Peter Price confirmed the booking", "2026-11-26T09:00:00+00:00"),
  event("booking.request", "Bob Barker (Reading Borough Council) asked for 6 hours of <Peter>", "2026-11-25T10:00:00+00:00"),
];

/** Peter on a server whose clock is in 2026-W51 (the browser's is in 2031). */
const peterLater = { ...peterMe, today: "2026-12-16", current_week: "2026-W51" };

function routes(me: unknown, b: Booking, extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: me },
    "GET /api/v1/bookings/b1": { status: 200, body: b },
    "GET /api/v1/bookings/b1/history": { status: 200, body: history },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function rowsOf(): Record<string, string> {
  return Object.fromEntries(
    [...document.querySelectorAll(".govuk-summary-list__row")].map((row) => [
      row.querySelector("dt")?.textContent ?? "",
      (row.querySelector("dd")?.textContent ?? "").replace(/\s+/g, " ").trim(),
    ]),
  );
}

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("booking page helpers", () => {
  it("checks the hours reported and the hours completed", () => {
    expect(validateTimesheet({ hours: "", note: "" }, 6).errors.fields["timesheet-hours"]).toBe("Enter the hours you worked");
    expect(validateTimesheet({ hours: "0", note: "" }, 6).body).toEqual({ actual_hours: 0 });
    expect(validateTimesheet({ hours: "5.5", note: "Done" }, 6).body).toEqual({ actual_hours: 5.5, note: "Done" });
    expect(validateTimesheet({ hours: "7", note: "" }, 6).errors.fields["timesheet-hours"]).toBe("Hours you worked must be no more than the 6 hours booked");
    expect(validateTimesheet({ hours: "1", note: "x".repeat(1001) }, 6).errors.fields["timesheet-note"]).toMatch(/1000 characters/);
    expect(validateCompletion({ hours: "6" }, 6).body).toEqual({ actual_hours: 6 });
    expect(validateCompletion({ hours: "" }, 6).errors.summary).toEqual([{ text: "Enter the hours worked", href: "#actual-hours" }]);
  });

  it("summarises what happened to the booking", () => {
    const rows = bookingRows(booking({ status: "cancelled", cancelled_at: "2026-12-04T10:00:00Z", cancel_reason: "Postponed", late_cancellation: true }));
    expect(rows.map((r) => r.key)).toContain("Reason for cancelling");
    expect(rows.map((r) => r.key)).not.toContain("Answer needed by");
  });
});

describe("booking page", () => {
  it("shows the booking, its history and what a booker may do with a request", async () => {
    mockFetch(routes(bob, booking()));
    await startApp("/bookings/b1");
    expect(document.title).toBe("Booking of Peter Price – LocalGov Talent Pool");
    expect(text("h1")).toBe("Booking of Peter Price");
    expect(text(".govuk-caption-l")).toBe("w/c 7 Dec 2026");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Bookings");
    const rows = rowsOf();
    expect(rows.Status).toBe("Awaiting answer");
    expect(rows.Officer).toBe("Peter Price, Principal planning officer");
    expect(rows["Officer's council"]).toBe("West Berkshire Council");
    expect(rows["Booked by"]).toBe("Reading Borough Council");
    expect(rows["Hours booked"]).toBe("6 hours");
    expect(rows.Rate).toBe("£45.50 per hour");
    expect(rows["Purchase order number"]).toBe("PO-42");
    expect(rows["Answer needed by"]).toBe("The end of 27 November 2026");
    expect([...document.querySelectorAll(".govuk-summary-list__row dd p")].map((p) => p.textContent)).toEqual([
      "Help clear the <backlog>.",
      "Householder applications first.",
    ]);
    // History, oldest first, escaped.
    expect([...document.querySelectorAll("#history-list h3")].map((h) => h.textContent)).toEqual(["Requested", "Confirmed"]);
    expect(text("#history-list li:first-child")).toContain("asked for 6 hours of <Peter>");
    expect(document.querySelector("#history-list time")?.getAttribute("datetime")).toBe("2026-11-25T10:00:00+00:00");
    // A booker cannot answer, but may cancel before the week starts.
    expect(document.querySelector("#confirm-link")).toBeNull();
    expect(document.querySelector("a[href='/bookings/b1/cancel']")?.textContent).toBe("Cancel this booking");
    expect(document.querySelector("#timesheet-form, #complete-form")).toBeNull();
  });

  it("lets the officer confirm a request after checking it on a page of its own", async () => {
    const confirmed = booking({ status: "confirmed", decided_at: "2026-11-26T09:00:00+00:00" });
    const { calls } = mockFetch(
      routes(peterMe, booking(), {
        "GET /api/v1/bookings/b1": [
          { status: 200, body: booking() },
          { status: 200, body: booking() },
          { status: 200, body: confirmed },
        ],
        "POST /api/v1/bookings/b1/confirm": { status: 200, body: confirmed },
      }),
    );
    await startApp("/bookings/b1");
    expect(text("#answer")).toBe("Answer this request");
    expect(document.body.textContent).toContain("Reading Borough Council asks for 6 hours of your time, w/c 7 Dec 2026");
    expect(document.querySelector("a[href='/bookings/b1/decline']")?.textContent).toBe("Decline");
    document.querySelector<HTMLAnchorElement>("#confirm-link")!.click();
    await settle();
    // The check page: the whole booking, and nothing sent yet.
    expect(window.location.pathname).toBe("/bookings/b1/confirm");
    expect(document.title).toBe("Check the booking before you confirm it – LocalGov Talent Pool");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    const rows = rowsOf();
    expect(rows["The work"]).toBe("Help clear the <backlog>.Householder applications first.");
    expect(rows["Hours booked"]).toBe("6 hours");
    expect(rows["Purchase order number"]).toBe("PO-42");
    expect(text("#confirm-effect")).toBe(
      "You are then booked for 6 hours, w/c 7 Dec 2026 (7 Dec to 13 Dec 2026), and Reading Borough Council is told. Either side can still cancel it before the week starts.",
    );
    expect(document.querySelector("#confirm-form a[href='/bookings/b1/decline']")?.textContent).toBe("Decline instead");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/confirm");
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-p");
    expect(window.location.pathname).toBe("/bookings/b1");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking confirmed");
    expect(text(".govuk-notification-banner")).toContain("Peter Price is booked for 6 hours, w/c 7 Dec 2026.");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect(text("#booking-status")).toBe("Confirmed");
    expect(document.querySelector("#confirm-link")).toBeNull();
  });

  it("lets the officer's manager answer too", async () => {
    mockFetch(routes(mark, booking()));
    await startApp("/bookings/b1");
    expect(document.body.textContent).toContain("asks for 6 hours of Peter Price's time");
    expect(document.querySelector("#confirm-link")).not.toBeNull();
    await startApp("/bookings/b1/confirm");
    expect(text("#confirm-effect")).toMatch(/^Peter Price is then booked for 6 hours/);
  });

  it("says so on the check page when the request is no longer waiting", async () => {
    const { calls } = mockFetch(routes(peterMe, booking({ status: "expired" })));
    await startApp("/bookings/b1/confirm");
    expect(document.querySelector("#confirm-form")).toBeNull();
    expect(text("#not-allowed")).toBe("This booking is no longer waiting for an answer, so it cannot be confirmed.");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("shows a refusal to confirm on the check page", async () => {
    mockFetch(
      routes(peterMe, booking(), {
        "POST /api/v1/bookings/b1/confirm": { status: 409, body: { status: 409, detail: "This request was not answered in time and has expired." } },
      }),
    );
    await startApp("/bookings/b1/confirm");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("This request was not answered in time and has expired");
    expect(document.title).toBe("Error: Check the booking before you confirm it – LocalGov Talent Pool");
    expect(window.location.pathname).toBe("/bookings/b1/confirm");
  });

  it("asks the officer for the hours worked once the week has started by the server's clock", async () => {
    const confirmed = booking({ status: "confirmed" });
    const reported = booking({ status: "confirmed", timesheet_hours: 5.5, timesheet_note: "Two need a <site> visit" });
    const { calls } = mockFetch(
      routes(peterLater, confirmed, {
        "POST /api/v1/bookings/b1/timesheet": { status: 200, body: reported },
      }),
    );
    await startApp("/bookings/b1");
    // The server's clock says 2026-W51 (from /me); the browser's says 2031; the booking itself
    // does not say (week_started false, as the API said a while ago).
    expect(text("#timesheet")).toBe("Record the hours you worked");
    expect(document.querySelector("a[href='/bookings/b1/cancel']")).toBeNull();
    submit(document.querySelector<HTMLFormElement>("#timesheet-form"));
    await settle();
    expect(text("#timesheet-hours-error")).toBe("Error: Enter the hours you worked");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fill("timesheet-hours", "5.5");
    fill("timesheet-note", " Two need a <site> visit ");
    submit(document.querySelector<HTMLFormElement>("#timesheet-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/timesheet");
    expect(post.body).toEqual({ actual_hours: 5.5, note: "Two need a <site> visit" });
    expect(text(".govuk-notification-banner__heading")).toBe("Hours sent: 5.5 hours");
    expect(rowsOf()["Hours reported by the officer"]).toBe("5.5 hours Note: Two need a <site> visit");
    // They may change them until the booking is completed.
    expect(text("#timesheet")).toBe("Change the hours you reported");
    expect((document.getElementById("timesheet-hours") as HTMLInputElement).value).toBe("5.5");
  });

  it("offers the officer no timesheet before the week starts", async () => {
    mockFetch(routes(peterMe, booking({ status: "confirmed" })));
    await startApp("/bookings/b1");
    expect(document.querySelector("#timesheet-form")).toBeNull();
    expect(document.querySelector("a[href='/bookings/b1/cancel']")).not.toBeNull();
  });

  it("shows a timesheet refusal against its field", async () => {
    mockFetch(
      routes(peterLater, booking({ status: "confirmed" }), {
        "POST /api/v1/bookings/b1/timesheet": {
          status: 422,
          body: { status: 422, errors: [{ loc: ["body", "actual_hours"], msg: "At most the 6 hours booked." }] },
        },
      }),
    );
    await startApp("/bookings/b1");
    fill("timesheet-hours", "6");
    submit(document.querySelector<HTMLFormElement>("#timesheet-form"));
    await settle();
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#timesheet-hours");
    expect(text("#timesheet-hours-error")).toBe("Error: At most the 6 hours booked");
  });

  it("lets the booker complete the booking with the hours reported", async () => {
    const reported = booking({ status: "confirmed", timesheet_hours: 5.5 });
    const completed = booking({ status: "completed", timesheet_hours: 5.5, actual_hours: 5.5, completed_at: "2026-12-15T10:00:00Z" });
    const { calls } = mockFetch(routes(bob, reported, { "POST /api/v1/bookings/b1/complete": { status: 200, body: completed } }));
    await startApp("/bookings/b1");
    expect(text("#complete")).toBe("Complete the booking");
    expect(document.body.textContent).toContain("Peter Price reported 5.5 hours worked.");
    expect((document.getElementById("actual-hours") as HTMLInputElement).value).toBe("5.5");
    expect(document.querySelector("a[href='/bookings/b1/cancel']")).toBeNull();
    submit(document.querySelector<HTMLFormElement>("#complete-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/complete");
    expect(post.body).toEqual({ actual_hours: 5.5 });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-b");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking completed");
    expect(text("#booking-status")).toBe("Completed");
    expect(rowsOf()["Hours worked"]).toBe("5.5 hours");
    expect(document.querySelector("#complete-form")).toBeNull();
  });

  it("shows a refusal to complete, over the booking as it is now", async () => {
    const { calls } = mockFetch(
      routes(bob, booking({ status: "confirmed", timesheet_hours: 5.5 }), {
        "GET /api/v1/bookings/b1": [
          { status: 200, body: booking({ status: "confirmed", timesheet_hours: 5.5 }) },
          { status: 200, body: booking({ status: "cancelled", cancelled_at: "2026-12-04T10:00:00Z", cancel_reason: "Postponed" }) },
        ],
        "POST /api/v1/bookings/b1/complete": { status: 409, body: { status: 409, detail: "This booking is cancelled, so it cannot be completed." } },
      }),
    );
    await startApp("/bookings/b1");
    fill("actual-hours", "4");
    submit(document.querySelector<HTMLFormElement>("#complete-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ actual_hours: 4 });
    expect(text(".govuk-error-summary__list")).toBe("This booking is cancelled, so it cannot be completed");
    expect(document.title).toBe("Error: Booking of Peter Price – LocalGov Talent Pool");
    expect(text("#booking-status")).toBe("Cancelled");
    expect(document.querySelector("#complete-form")).toBeNull();
  });

  it("asks the booker for the hours when the officer has reported none", async () => {
    mockFetch(routes(bob, booking({ status: "confirmed", week: "2026-W47", week_start: "2026-11-16" })));
    await startApp("/bookings/b1");
    expect(document.body.textContent).toContain("Peter Price has not reported their hours yet.");
    expect((document.getElementById("actual-hours") as HTMLInputElement).value).toBe("");
  });

  it("shows a late cancellation's charge", () => {
    const rows = bookingRows(
      booking({ status: "cancelled", cancelled_at: "2026-12-04T10:00:00Z", cancel_reason: "Postponed", late_cancellation: true, late_cancellation_charge: { percent: 50, hours: 3, net_pence: 13650 } }),
    );
    const row = rows.find((r) => r.key === "Late cancellation charge");
    expect(row).toBeDefined();
    const text = String(row?.value);
    expect(text).toContain("£136.50 plus VAT: 50% of the booked hours (3 hours)");
    expect(text).toContain("West Berkshire Council's next recharge invoice");
    expect(bookingRows(booking()).some((r) => r.key === "Late cancellation charge")).toBe(false);
  });

  it("shows a late cancellation", async () => {
    mockFetch(
      routes(bob, booking({ status: "cancelled", cancelled_at: "2026-12-04T10:00:00Z", cancel_reason: "Postponed", late_cancellation: true })),
    );
    await startApp("/bookings/b1");
    expect(text("#booking-status")).toBe("Cancelled Late cancellation");
    expect(text("#late-note")).toBe("Late: inside West Berkshire Council's notice period");
    expect(rowsOf()["Reason for cancelling"]).toBe("Postponed");
    expect(document.querySelector("#main-content form")).toBeNull();
  });

  it("says Page not found for a booking that cannot be seen or an id that is not one", async () => {
    mockFetch(
      routes(bob, booking(), {
        "GET /api/v1/bookings/nope": { status: 422, body: { status: 422 } },
        "GET /api/v1/bookings/nope/history": { status: 422, body: { status: 422 } },
      }),
    );
    await startApp("/bookings/nope");
    expect(text("h1")).toBe("Page not found");
    await startApp("/bookings/b9");
    expect(text("h1")).toBe("Page not found");
  });
});
