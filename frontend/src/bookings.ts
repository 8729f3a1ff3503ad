// What the booking pages share: who the viewer is to a booking, what they may do with it, which
// list a booking belongs in, and the labels of its history.
import { api } from "./api";
import { formatHours, type Parsed, parseHours } from "./numbers";
import type { Booking, BookingSide, ListPage, Me } from "./models";

/** The link to book an officer's week (the booking form). */
export function bookPath(officerId: string, week: string): string {
  return `/book?${new URLSearchParams({ officer: officerId, week })}`;
}

/** How the signed-in person stands to a booking. */
export interface Viewer {
  /** The booked officer. */
  officer: boolean;
  /** A manager of the officer's council (answers and cancels requests for their officers). */
  lendingManager: boolean;
  /** A booker or admin of the booking council (cancels and completes). */
  booker: boolean;
}

export function viewerOf(me: Me | null, booking: Booking): Viewer {
  if (!me) return { officer: false, lendingManager: false, booker: false };
  const council = me.council?.id ?? null;
  return {
    officer: me.officer_id !== null && me.officer_id === booking.officer.id,
    lendingManager: council === booking.lending_council.id && me.roles.includes("manager"),
    booker: council === booking.booking_council.id && (me.roles.includes("booker") || me.roles.includes("council_admin")),
  };
}

/**
 * Whether the booked week has started: the server says so with the booking, and `now` (the
 * server's week, from /me) or what has happened already tells the rest.
 */
export function hasStarted(booking: Booking, now: string): boolean {
  if (booking.week_started) return true;
  if (booking.timesheet_hours !== null || booking.completed_at !== null) return true;
  if (booking.status === "completed" || booking.status === "invoiced") return true;
  return booking.week <= now;
}

export interface Actions {
  /** Confirm or decline a request. */
  answer: boolean;
  cancel: boolean;
  timesheet: boolean;
  complete: boolean;
}

/** What the viewer may do with the booking now (what the API would allow). */
export function actionsFor(booking: Booking, viewer: Viewer, now: string): Actions {
  const started = hasStarted(booking, now);
  const open = booking.status === "requested" || booking.status === "confirmed";
  return {
    answer: booking.status === "requested" && (viewer.officer || viewer.lendingManager),
    cancel: open && !started && (viewer.booker || viewer.officer || viewer.lendingManager),
    timesheet: booking.status === "confirmed" && started && viewer.officer,
    complete: booking.status === "confirmed" && started && viewer.booker,
  };
}

/** The lists a person sees on the bookings page, by their roles. */
export function sidesFor(me: Me | null): BookingSide[] {
  if (!me) return [];
  const sides: BookingSide[] = [];
  if (me.roles.includes("officer") && me.officer_id) sides.push("mine");
  if (me.roles.includes("booker") || me.roles.includes("council_admin")) sides.push("booking");
  if (me.roles.includes("manager") || me.roles.includes("council_admin")) sides.push("lending");
  return sides;
}

export type Bucket = "requested" | "upcoming" | "awaiting" | "completed" | "ended";

export const BUCKETS: readonly Bucket[] = ["requested", "upcoming", "awaiting", "completed", "ended"];

/** Which part of the bookings page a booking is listed in. */
export function bucketOf(booking: Booking, now: string): Bucket {
  switch (booking.status) {
    case "requested":
      return "requested";
    case "confirmed":
      return hasStarted(booking, now) ? "awaiting" : "upcoming";
    case "completed":
    case "invoiced":
      return "completed";
    default:
      return "ended";
  }
}

/** The week it is now by the server's clock ("" before anyone has signed in). */
export function serverWeek(me: Me | null): string {
  return me?.current_week ?? "";
}

const HISTORY_LABELS: Record<string, string> = {
  "booking.request": "Requested",
  "booking.confirm": "Confirmed",
  "booking.decline": "Declined",
  "booking.cancel": "Cancelled",
  "booking.expire": "Expired",
  "booking.timesheet": "Hours reported",
  "booking.complete": "Completed",
  "booking.invoice": "Invoiced",
};

/** "booking.confirm" → "Confirmed"; an unknown action → its last part, as words. */
export function historyLabel(action: string): string {
  const known = HISTORY_LABELS[action];
  if (known) return known;
  const last = action.split(".").pop() ?? action;
  const words = last.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : action;
}

/**
 * Hours actually worked: quarter hours from 0 (nothing worked) to the hours booked.
 * `name` names the field in messages ("Hours worked").
 */
export function parseActualHours(text: string, booked: number, empty: string, name: string): Parsed<number> {
  const value = text.trim().replace(/\s*(hours?|hrs?|h)$/i, "");
  if (/^0*(\.0*)?$/.test(value) && /0/.test(value)) return { ok: true, value: 0 };
  const parsed = parseHours(text, { empty, name, max: booked });
  if (!parsed.ok && parsed.error.endsWith(`must be ${booked} or fewer`)) {
    return { ok: false, error: `${name} must be no more than the ${formatHours(booked)} hours booked` };
  }
  return parsed;
}

/** Follows a list's cursor for up to `pages` pages. */
export async function loadBookings(side: BookingSide, signal?: AbortSignal, pages = 5): Promise<{ items: Booking[]; more: boolean }> {
  const items: Booking[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < pages; i += 1) {
    const query = new URLSearchParams({ side, limit: "200" });
    if (cursor) query.set("cursor", cursor);
    const page: ListPage<Booking> = await api.get<ListPage<Booking>>(`/bookings?${query}`, { signal });
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) return { items, more: false };
  }
  return { items, more: true };
}
