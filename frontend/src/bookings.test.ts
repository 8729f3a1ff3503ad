import { describe, expect, it } from "vitest";
import { actionsFor, bookPath, bucketOf, hasStarted, historyLabel, parseActualHours, serverWeek, sidesFor, viewerOf } from "./bookings";
import { bob, booking, edinburgh, mark, peterMe } from "./test/bookings";
import { user } from "./test/fixtures";

describe("bookings helpers", () => {
  it("links to the booking form", () => {
    expect(bookPath("o2", "2026-W50")).toBe("/book?officer=o2&week=2026-W50");
  });

  it("knows how the viewer stands to a booking", () => {
    const b = booking();
    expect(viewerOf(peterMe, b)).toEqual({ officer: true, lendingManager: false, booker: false });
    expect(viewerOf(mark, b)).toEqual({ officer: false, lendingManager: true, booker: false });
    expect(viewerOf(bob, b)).toEqual({ officer: false, lendingManager: false, booker: true });
    // A booker of another council, and a manager of the booking council, are neither.
    expect(viewerOf(user(["booker", "manager"], { council: edinburgh }), b)).toEqual({ officer: false, lendingManager: false, booker: false });
    expect(viewerOf(user(["manager"], { council: b.booking_council }), b)).toEqual({ officer: false, lendingManager: false, booker: false });
    expect(viewerOf(null, b).officer).toBe(false);
  });

  it("decides whether the week has started from the week now or from what has happened", () => {
    expect(hasStarted(booking(), "2026-W49")).toBe(false);
    expect(hasStarted(booking(), "2026-W50")).toBe(true);
    expect(hasStarted(booking({ status: "confirmed", timesheet_hours: 5 }), "2026-W48")).toBe(true);
    expect(hasStarted(booking({ status: "completed" }), "2026-W48")).toBe(true);
    // The server says so with the booking, whatever week the page thinks it is.
    expect(hasStarted(booking({ week_started: true }), "2026-W48")).toBe(true);
    expect(serverWeek(user(["booker"], { current_week: "2027-W30" }))).toBe("2027-W30");
    expect(serverWeek(null)).toBe("");
  });

  it("offers only the actions the API allows", () => {
    const requested = booking();
    const confirmed = booking({ status: "confirmed" });
    const v = (me: typeof bob) => viewerOf(me, requested);
    expect(actionsFor(requested, v(peterMe), "2026-W48")).toEqual({ answer: true, cancel: true, timesheet: false, complete: false });
    expect(actionsFor(requested, v(mark), "2026-W48")).toEqual({ answer: true, cancel: true, timesheet: false, complete: false });
    expect(actionsFor(requested, v(bob), "2026-W48")).toEqual({ answer: false, cancel: true, timesheet: false, complete: false });
    // Once the week has started: hours, not cancelling.
    expect(actionsFor(confirmed, v(peterMe), "2026-W51")).toEqual({ answer: false, cancel: false, timesheet: true, complete: false });
    expect(actionsFor(confirmed, v(bob), "2026-W51")).toEqual({ answer: false, cancel: false, timesheet: false, complete: true });
    expect(actionsFor(confirmed, v(mark), "2026-W51")).toEqual({ answer: false, cancel: false, timesheet: false, complete: false });
    // Ended bookings offer nothing.
    for (const status of ["declined", "expired", "cancelled", "completed", "invoiced"] as const) {
      expect(Object.values(actionsFor(booking({ status }), v(bob), "2026-W48")).some(Boolean)).toBe(false);
    }
  });

  it("lists each person's sides", () => {
    expect(sidesFor(peterMe)).toEqual(["mine"]);
    expect(sidesFor(bob)).toEqual(["booking"]);
    expect(sidesFor(mark)).toEqual(["lending"]);
    expect(sidesFor(user(["manager", "booker"]))).toEqual(["booking", "lending"]);
    expect(sidesFor(user(["council_admin"]))).toEqual(["booking", "lending"]);
    expect(sidesFor(user(["officer"]))).toEqual([]); // no officer profile
    expect(sidesFor(user(["finance"]))).toEqual([]);
  });

  it("puts each booking in its part of the list", () => {
    expect(bucketOf(booking(), "2026-W48")).toBe("requested");
    expect(bucketOf(booking({ status: "confirmed" }), "2026-W48")).toBe("upcoming");
    expect(bucketOf(booking({ status: "confirmed" }), "2026-W50")).toBe("awaiting");
    expect(bucketOf(booking({ status: "invoiced" }), "2026-W48")).toBe("completed");
    expect(bucketOf(booking({ status: "expired" }), "2026-W48")).toBe("ended");
  });

  it("labels history events", () => {
    expect(historyLabel("booking.confirm")).toBe("Confirmed");
    expect(historyLabel("booking.timesheet")).toBe("Hours reported");
    expect(historyLabel("booking.something_new")).toBe("Something new");
  });

  it("reads the hours actually worked, from 0 to the hours booked", () => {
    const read = (text: string) => parseActualHours(text, 6, "Enter the hours", "Hours worked");
    expect(read("0")).toEqual({ ok: true, value: 0 });
    expect(read("0.0 hours")).toEqual({ ok: true, value: 0 });
    expect(read("5.5")).toEqual({ ok: true, value: 5.5 });
    expect(read("6")).toEqual({ ok: true, value: 6 });
    expect(read("")).toEqual({ ok: false, error: "Enter the hours" });
    expect(read("6.25")).toEqual({ ok: false, error: "Hours worked must be no more than the 6 hours booked" });
    expect(read("5.1")).toEqual({ ok: false, error: "Hours worked must be in quarter hours, like 7.25, 7.5 or 7.75" });
    expect(read("-1").ok).toBe(false);
  });
});
