// "Bookings": the bookings a person deals with, in parts by where each is in its life. Bookers
// see their council's bookings (side=booking), officers their own (side=mine) and managers their
// officers' (side=lending); someone with several roles sees each list under its own heading.
// Officers and managers answer requests from here (confirming is checked on its own page, and
// declining needs a reason), and officers get the secret address of a calendar of their
// confirmed bookings.
import { api, toProblem } from "../api";
import { type Bucket, BUCKETS, bucketOf, loadBookings, serverWeek, sidesFor } from "../bookings";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { submitGuard } from "../components/submit";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { bookingStatusTag } from "../components/statusTag";
import { table } from "../components/table";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Booking, BookingSide, CalendarLink, Me } from "../models";
import { weekLabel } from "../weeks";

const TITLE = "Bookings";

export const SIDE_HEADINGS: Record<BookingSide, string> = {
  mine: "Your bookings",
  booking: "Bookings your council has made",
  lending: "Bookings of your council's officers",
};

export const BUCKET_TITLES: Record<BookingSide, Record<Bucket, string>> = {
  booking: {
    requested: "Requests awaiting an answer",
    upcoming: "Upcoming",
    awaiting: "Awaiting hours",
    completed: "Completed",
    ended: "Declined, expired or cancelled",
  },
  mine: {
    requested: "Requests awaiting me",
    upcoming: "Upcoming",
    awaiting: "Record hours",
    completed: "Completed",
    ended: "Declined, expired or cancelled",
  },
  lending: {
    requested: "Requests for your officers",
    upcoming: "Upcoming",
    awaiting: "Awaiting hours",
    completed: "Completed",
    ended: "Declined, expired or cancelled",
  },
};

const EMPTY: Record<Bucket, string> = {
  requested: "There are no requests waiting.",
  upcoming: "There are no upcoming bookings.",
  awaiting: "No bookings are waiting for their hours.",
  completed: "No bookings have been completed yet.",
  ended: "None.",
};

export interface SideList {
  side: BookingSide;
  items: Booking[];
  more: boolean;
}

export interface BookingsState {
  me: Me | null;
  lists: SideList[];
  /** The week it is now (by the server's clock where the person can learn it). */
  now: string;
  errors: FormErrors;
  banner: BannerOptions | null;
  /** The officer's new calendar address, once made. */
  calendarUrl: string | null;
}

/**
 * Hidden text naming a row's booking for screen readers: " for Peter Price, 6 hours in Week 50:
 * 7 Dec to 13 Dec 2026, booked by Reading Borough Council".
 */
export function rowContext(booking: Booking): string {
  return ` for ${booking.officer.display_name}, ${hoursText(booking.hours)} in ${weekLabel(booking.week)}, booked by ${booking.booking_council.name}`;
}

/** The columns about who: the officer's own list names the booking council; the others name
 * the officer, and beside them (never under the name, where it would read as the officer's
 * council) the council on the other side. */
const WHO: Record<BookingSide, string[]> = {
  mine: ["Booked by"],
  booking: ["Officer", "Officer's council"],
  lending: ["Officer", "Booked by"],
};

function whoCells(side: BookingSide, booking: Booking): string[] {
  if (side === "mine") return [booking.booking_council.name];
  if (side === "booking") return [booking.officer.display_name, booking.lending_council.name];
  return [booking.officer.display_name, booking.booking_council.name];
}

function statusCell(side: BookingSide, bucket: Bucket, booking: Booking): SafeHtml {
  let note: SafeHtml | string = "";
  if (bucket === "awaiting") {
    note = html`<span class="govuk-body-s tp-week-note">${
      booking.timesheet_hours === null ? "No hours reported yet" : `${hoursText(booking.timesheet_hours)} reported`
    }</span>`;
  } else if (bucket === "completed" && booking.actual_hours !== null) {
    note = html`<span class="govuk-body-s tp-week-note">${hoursText(booking.actual_hours)} worked</span>`;
  } else if (booking.status === "declined" && booking.decline_reason && side !== "mine") {
    note = html`<span class="govuk-body-s tp-week-note">Reason: ${booking.decline_reason}</span>`;
  }
  return html`${bookingStatusTag(booking.status, booking.late_cancellation)} ${note}`;
}

/** Whether the person answers requests on this side: the officer, or a manager of the officer's council. */
export function answers(side: BookingSide, me: Me | null): boolean {
  return side === "mine" || (side === "lending" && (me?.roles.includes("manager") ?? false));
}

function actionCell(side: BookingSide, bucket: Bucket, booking: Booking, canAnswer: boolean): SafeHtml {
  const hidden = html`<span class="govuk-visually-hidden">${rowContext(booking)}</span>`;
  const href = `/bookings/${booking.id}`;
  if (bucket === "requested" && canAnswer) {
    return html`<a class="govuk-link tp-action-link" href="${href}/confirm">Confirm${hidden}</a>
    <a class="govuk-link tp-action-link" href="${href}/decline">Decline${hidden}</a>
    <a class="govuk-link tp-action-link" href="${href}">View${hidden}</a>`;
  }
  if (bucket === "awaiting" && side === "mine") {
    return html`<a class="govuk-link" href="${href}#timesheet">${booking.timesheet_hours === null ? "Record hours" : "Change hours"}${hidden}</a>`;
  }
  if (bucket === "awaiting" && side === "booking") {
    return html`<a class="govuk-link" href="${href}#complete">Complete${hidden}</a>`;
  }
  return html`<a class="govuk-link" href="${href}">View${hidden}</a>`;
}

function sideSection(list: SideList, now: string, nested: boolean, me: Me | null): SafeHtml {
  const { side } = list;
  const canAnswer = answers(side, me);
  const byBucket = new Map<Bucket, Booking[]>(BUCKETS.map((bucket) => [bucket, []]));
  for (const booking of list.items) byBucket.get(bucketOf(booking, now))?.push(booking);
  const head = ["Week", ...WHO[side], "Hours", "Status", "Action"];
  return html`${nested ? html`<h2 class="govuk-heading-m" id="${side}">${SIDE_HEADINGS[side]}</h2>` : ""}
${BUCKETS.map((bucket) =>
  table({
    id: `${side}-${bucket}`,
    caption: BUCKET_TITLES[side][bucket],
    captionSize: nested ? "s" : "m",
    level: nested ? 3 : 2,
    head,
    rows: (byBucket.get(bucket) ?? []).map((booking) => [
      weekLabel(booking.week),
      ...whoCells(side, booking),
      hoursText(booking.hours),
      statusCell(side, bucket, booking),
      actionCell(side, bucket, booking, canAnswer),
    ]),
    empty: EMPTY[bucket],
    cards: { title: 0, actions: head.length - 1 },
  }),
)}
${list.more ? html`<p class="govuk-body">Only the first 1,000 bookings are shown.</p>` : ""}`;
}

function calendarSection(state: BookingsState): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="calendar">Your calendar</h2>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <p class="govuk-body">Add your confirmed bookings to Outlook, Google Calendar or your phone with a secret calendar address. Anyone who has the address can see your bookings, so do not share it.</p>
    ${
      state.calendarUrl
        ? html`<div class="govuk-form-group">
      <label class="govuk-label govuk-label--s" for="calendar-url">Your calendar address</label>
      <div id="calendar-url-hint" class="govuk-hint">Subscribe to it in your calendar app (sometimes called adding a calendar from the internet). Any address you had before has stopped working.</div>
      <input class="govuk-input" id="calendar-url" name="calendar-url" type="text" value="${state.calendarUrl}" readonly spellcheck="false" autocomplete="off" aria-describedby="calendar-url-hint">
    </div>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" id="copy-calendar">Copy address</button>
      <p class="govuk-body govuk-!-margin-bottom-0" id="copy-status" role="status"></p>
    </div>`
        : ""
    }
    <p class="govuk-body">${
      state.calendarUrl
        ? "Getting another address replaces this one: calendars using this one stop updating."
        : "If you got an address before, a new one replaces it: calendars using the old address stop updating."
    }</p>
    <form method="post" action="/bookings/calendar" novalidate id="calendar-form">
      ${button(state.calendarUrl ? "Get another calendar address" : "Get a calendar address", { secondary: true })}
    </form>
  </div>
</div>`;
}

export function bookingsContent(state: BookingsState): SafeHtml {
  const nested = state.lists.length > 1;
  const officer = state.lists.some((list) => list.side === "mine");
  return html`${errorSummary(state.errors.summary)}
${state.banner && state.errors.summary.length === 0 ? notificationBanner(state.banner) : ""}
<h1 class="govuk-heading-l">${TITLE}</h1>
${state.lists.length === 0 ? html`<p class="govuk-body">There are no bookings for you to see.</p>` : ""}
${state.lists.map((list) => sideSection(list, state.now, nested, state.me))}
${officer ? calendarSection(state) : ""}`;
}

async function loadLists(view: View): Promise<SideList[]> {
  return Promise.all(
    sidesFor(view.me).map(async (side) => ({ side, ...(await loadBookings(side, view.signal)) })),
  );
}

function draw(view: View, state: BookingsState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(bookingsContent(state));
  if (!main) return;
  submitGuard()(main.querySelector<HTMLFormElement>("#calendar-form"), () => rotateCalendar(view, state));
  const copy = main.querySelector<HTMLButtonElement>("#copy-calendar");
  copy?.addEventListener("click", () => {
    void copyAddress(main);
  });
}

async function copyAddress(main: HTMLElement): Promise<void> {
  const input = main.querySelector<HTMLInputElement>("#calendar-url");
  const status = main.querySelector<HTMLElement>("#copy-status");
  if (!input || !status) return;
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Address copied";
  } catch {
    // No clipboard (or not allowed): select the text so the person can copy it themselves.
    input.focus();
    input.select();
    status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected address";
  }
}

function failed(view: View, state: BookingsState, error: unknown): void {
  const problem = toProblem(error);
  if (!problem || !view.isCurrent()) return;
  draw(view, { ...state, errors: errorsFromProblem(problem, {}), banner: null });
}

async function rotateCalendar(view: View, state: BookingsState): Promise<void> {
  let link: CalendarLink;
  try {
    link = await api.post<CalendarLink>("/officers/me/calendar", undefined, { signal: view.signal });
  } catch (error) {
    failed(view, state, error);
    return;
  }
  if (!view.isCurrent()) return;
  draw(view, { ...state, calendarUrl: link.url, errors: noErrors(), banner: null });
  // Straight to the new address: its label and hint say what it is.
  document.getElementById("calendar-url")?.focus();
}

export const bookingsPage: Page = {
  path: "/bookings",
  title: TITLE,
  access: "signed-in",
  roles: ["officer", "booker", "manager", "council_admin"],
  nav: { label: "Bookings", order: 45 },
  async render(view) {
    const lists = await loadLists(view);
    draw(view, { me: view.me, lists, now: serverWeek(view.me), errors: noErrors(), banner: takeFlash(), calendarUrl: null });
  },
};
