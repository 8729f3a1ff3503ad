// Shared test data for the availability, sign-off and search pages.
import type { Approval, Council, Me, OfficerProfile, Week } from "../models";
import { monday } from "../weeks";
import { SERVER_TODAY, SERVER_WEEK } from "./clock";

export const westBerks = { id: "c1", name: "West Berkshire Council", code: "WBK", nation: "England", region: "South East" };
export const reading = { id: "c2", name: "Reading Borough Council", code: "RDG", nation: "England", region: "South East" };

type UserExtra = Omit<Partial<Me>, "council"> & { council?: (Council & { po_required?: boolean }) | null };

/** A signed-in person (GET /me) at West Berkshire unless `extra` says otherwise, on the server's today. */
export function user(roles: Me["roles"], extra: UserExtra = {}): Me {
  const { council = westBerks, ...rest } = extra;
  return {
    id: "u1",
    email: "someone@westberks.example.gov.uk",
    name: "Someone",
    roles,
    is_platform_admin: false,
    officer_id: null,
    csrf_token: "csrf-1",
    today: SERVER_TODAY,
    current_week: SERVER_WEEK,
    two_factor_setup_required: false,
    signed_in_with: "password",
    ...rest,
    council: council && { po_required: false, ...council },
  };
}

/** A week of the calendar; nothing listed unless `extra` says so. */
export function week(text: string, extra: Partial<Week> = {}): Week {
  return {
    id: null,
    week: text,
    week_start: monday(text).toISOString().slice(0, 10),
    hours: 0,
    approved_hours: 0,
    pending_hours: 0,
    booked_hours: 0,
    status: null,
    single_booking: false,
    reject_reason: null,
    started: false,
    working_days: 5,
    bank_holidays: [],
    ...extra,
  };
}

export const peter: OfficerProfile = {
  id: "o2",
  council: westBerks,
  display_name: "Peter Price",
  job_title: "Principal planning officer",
  summary: "Principal planning officer at West Berkshire Council.",
  skills: [
    { slug: "town-planning", name: "Town planning", family: "Planning and building" },
    { slug: "planning-policy", name: "Planning policy", family: "Planning and building" },
  ],
  visible: true,
  rate_pence_per_hour: 4550,
};

export function approval(id: string, text: string, extra: Partial<Approval> = {}): Approval {
  return {
    ...week(text),
    id,
    status: "pending",
    hours: 3,
    pending_hours: 3,
    officer_id: peter.id,
    decided_by_id: null,
    decided_at: null,
    updated_at: "2026-11-25T10:00:00+00:00",
    officer: { id: peter.id, display_name: peter.display_name, job_title: peter.job_title },
    ...extra,
  };
}
