import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, event, mark } from "../test/bookings";
import { mockFetch, settle } from "../test/fetchMock";
import type { Booking } from "../models";
import { validateReasonText } from "./bookingReason";
import { useBrowserClock } from "../test/clock";

const declined: Booking = booking({ status: "declined", decided_at: "2026-11-26T09:00:00Z", decline_reason: "Peter is needed here." });

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: mark },
    "GET /api/v1/bookings/b1": [{ status: 200, body: booking() }, { status: 200, body: declined }],
    "GET /api/v1/bookings/b1/history": { status: 200, body: [event("booking.decline", "Mark Mensah declined the booking: Peter is needed here.")] },
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

describe("declining a booking", () => {
  it("needs a reason of at most 500 characters", () => {
    expect(validateReasonText("", "Enter the reason").fields.reason).toBe("Enter the reason");
    expect(validateReasonText("x".repeat(501), "Enter the reason").fields.reason).toBe("The reason must be 500 characters or fewer");
    expect(validateReasonText("Busy", "Enter the reason").summary).toEqual([]);
  });

  it("declines with a reason and goes back to the booking with a banner", async () => {
    const { calls } = mockFetch(routes({ "POST /api/v1/bookings/b1/decline": { status: 200, body: declined } }));
    await startApp("/bookings/b1/decline");
    expect(document.title).toBe("Decline the booking – LocalGov Talent Pool");
    expect(text("h1")).toBe("Decline the booking");
    expect(text(".govuk-caption-l")).toBe("Booking of Peter Price");
    expect(text("#reason-hint")).toBe("Reading Borough Council is told your reason.");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/bookings/b1");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Bookings");
    submit(form());
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(text("#reason-error")).toBe("Error: Enter the reason you are declining");
    expect(document.title).toBe("Error: Decline the booking – LocalGov Talent Pool");

    fill("reason", "  Peter is needed here. ");
    submit(form());
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings/b1/decline");
    expect(post.body).toEqual({ reason: "Peter is needed here." });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-m");
    expect(window.location.pathname).toBe("/bookings/b1");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking declined");
    expect(text("#booking-status")).toBe("Declined");
  });

  it("shows a refusal from the server, keeping the reason", async () => {
    mockFetch(routes({ "POST /api/v1/bookings/b1/decline": { status: 409, body: { status: 409, detail: "This booking is confirmed, so it cannot be declined." } } }));
    await startApp("/bookings/b1/decline");
    fill("reason", "No");
    submit(form());
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("This booking is confirmed, so it cannot be declined");
    expect((document.getElementById("reason") as HTMLTextAreaElement).value).toBe("No");
  });

  it("offers no form when the booking is no longer waiting for an answer", async () => {
    mockFetch(routes({ "GET /api/v1/bookings/b1": { status: 200, body: booking({ status: "confirmed" }) } }));
    await startApp("/bookings/b1/decline");
    expect(form()).toBeNull();
    expect(text("#not-allowed")).toBe("This booking is no longer waiting for an answer, so it cannot be declined.");
  });

  it("is not for bookers", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: bob } }));
    await startApp("/bookings/b1/decline");
    expect(text("h1")).toBe("You cannot use this page");
  });
});
