import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, event, peterMe } from "../test/bookings";
import { mockFetch, settle } from "../test/fetchMock";
import type { Booking } from "../models";
import { useBrowserClock } from "../test/clock";

const confirmed: Booking = booking({ status: "confirmed" });

function cancelled(late: boolean): Booking {
  return booking({ status: "cancelled", cancelled_at: "2026-12-04T10:00:00Z", cancel_reason: "Postponed", late_cancellation: late });
}

function routes(after: Booking, extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: bob },
    "GET /api/v1/bookings/b1": [{ status: 200, body: confirmed }, { status: 200, body: after }],
    "GET /api/v1/bookings/b1/history": { status: 200, body: [event("booking.cancel", "Bob Barker cancelled the booking: Postponed")] },
    "POST /api/v1/bookings/b1/cancel": { status: 200, body: after },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function form(): HTMLFormElement | null {
  return document.querySelector<HTMLFormElement>("#reason-form");
}

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("cancelling a booking", () => {
  it("cancels with a reason, warning about the notice period", async () => {
    const { calls } = mockFetch(routes(cancelled(false)));
    await startApp("/bookings/b1/cancel");
    expect(document.title).toBe("Cancel the booking – LocalGov Talent Pool");
    expect(text(".govuk-warning-text")).toBe("! Warning A cancellation inside West Berkshire Council's notice period is recorded as a late cancellation.");
    expect(text("#reason-hint")).toBe("Peter Price and their manager are told your reason.");
    expect(text("#reason-form .govuk-button")).toBe("Cancel booking");
    expect(document.querySelector("#reason-form .govuk-link")?.textContent).toBe("Keep the booking");
    fill("reason", "Postponed");
    submit(form());
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/cancel");
    expect(post.body).toEqual({ reason: "Postponed" });
    expect(window.location.pathname).toBe("/bookings/b1");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking cancelled");
    expect(document.querySelector("#late-note")).toBeNull();
  });

  it("shows afterwards that the cancellation was late", async () => {
    mockFetch(routes(cancelled(true)));
    await startApp("/bookings/b1/cancel");
    fill("reason", "Postponed");
    submit(form());
    await settle();
    expect(text(".govuk-notification-banner__heading")).toBe("Booking cancelled: late cancellation");
    expect(text(".govuk-notification-banner")).toContain("inside West Berkshire Council's notice period");
    expect(text("#booking-status")).toBe("Cancelled Late cancellation");
    expect(text("#late-note")).toBe("Late: inside West Berkshire Council's notice period");
  });

  it("tells the booking council when the officer cancels", async () => {
    mockFetch(routes(cancelled(false), { "GET /api/v1/me": { status: 200, body: peterMe }, "GET /api/v1/officers/me/availability": { status: 200, body: { items: [], next_cursor: null } } }));
    await startApp("/bookings/b1/cancel");
    expect(text("#reason-hint")).toBe("Reading Borough Council is told your reason.");
  });

  it("offers no form once the week has started by the server's clock", async () => {
    const later = { ...peterMe, today: "2026-12-07", current_week: "2026-W50" };
    mockFetch(routes(cancelled(false), { "GET /api/v1/me": { status: 200, body: later } }));
    await startApp("/bookings/b1/cancel");
    expect(form()).toBeNull();
    expect(text("#not-allowed")).toBe("This booking can no longer be cancelled: it has ended, or its week has started.");
  });

  it("shows a refusal from the server", async () => {
    mockFetch(routes(cancelled(false), { "POST /api/v1/bookings/b1/cancel": { status: 409, body: { status: 409, detail: "2026-W50 has started, so the booking can no longer be cancelled." } } }));
    await startApp("/bookings/b1/cancel");
    fill("reason", "Postponed");
    submit(form());
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("2026-W50 has started, so the booking can no longer be cancelled");
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
  });
});
