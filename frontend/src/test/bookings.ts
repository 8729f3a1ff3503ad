// Shared test data for the booking pages.
import type { Booking, HistoryEvent, Me } from "../models";
import { peter, reading, user, westBerks } from "./fixtures";

export const edinburgh = { id: "c3", name: "City of Edinburgh Council", code: "EDH", nation: "Scotland", region: "Scotland" };

/** Bob, a booker at Reading, which needs a purchase order number on every booking. */
export const bob: Me = user(["booker"], {
  id: "u6",
  name: "Bob Barker",
  email: "bob.booker@reading.example.gov.uk",
  council: { ...reading, po_required: true },
  csrf_token: "csrf-b",
});
/** Peter, the officer booked. */
export const peterMe: Me = user(["officer"], { id: "u2", name: "Peter Price", officer_id: peter.id, csrf_token: "csrf-p" });
/** Mark, Peter's manager. */
export const mark: Me = user(["manager"], { id: "u3", name: "Mark Mensah", csrf_token: "csrf-m" });

/** Bob's booking of 6 hours of Peter's time in 2026-W50, waiting for an answer. */
export function booking(extra: Partial<Booking> = {}): Booking {
  return {
    id: "b1",
    reference: "WBK-0001",
    status: "requested",
    officer: { id: peter.id, display_name: peter.display_name, job_title: peter.job_title },
    lending_council: westBerks,
    booking_council: reading,
    booker_id: "u6",
    week: "2026-W50",
    week_start: "2026-12-07",
    week_started: false,
    hours: 6,
    rate_pence_per_hour: 4550,
    purpose: "Help clear the <backlog>.\n\nHouseholder applications first.",
    purchase_order: "PO-42",
    requested_at: "2026-11-25T10:00:00+00:00",
    expires_at: "2026-11-28T00:00:00+00:00",
    decided_at: null,
    decline_reason: null,
    cancelled_at: null,
    cancel_reason: null,
    late_cancellation: false,
    late_cancellation_charge: null,
    timesheet_hours: null,
    timesheet_note: null,
    actual_hours: null,
    completed_at: null,
    cost: { hours: 6, rate_pence_per_hour: 4550, net_pence: 27300, vat_treatment: "standard", vat_rate_bps: 2000, vat_pence: 5460, gross_pence: 32760 },
    ...extra,
  };
}

export function event(action: string, summary: string, at = "2026-11-25T10:00:00+00:00"): HistoryEvent {
  return { at, action, summary, actor_user_id: "u6" };
}
