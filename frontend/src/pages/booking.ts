// One booking: what was booked, its history from the audit trail, and what the viewer may do
// now: the officer or their manager confirms or declines a request, either side cancels before
// the week starts, the officer reports the hours worked, the booker completes the booking.
// Actions the API would refuse are not offered; if it refuses one anyway, the error summary says
// why.
import { ProblemError, api, seg, toProblem } from "../api";
import { type Actions, actionsFor, historyLabel, parseActualHours, serverWeek, viewerOf } from "../bookings";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, textInput, textarea } from "../components/forms";
import { submitGuard } from "../components/submit";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { bookingStatusTag } from "../components/statusTag";
import { summaryList, type SummaryRow } from "../components/summaryList";
import { formatDateTime, formatDeadline, formatPence, formatRate } from "../format";
import { formatHours, hoursText } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Booking, Contact, HistoryEvent, Message } from "../models";
import { loadMessages, messagesSection, wireMessages } from "../components/messages";
import { weekLabel } from "../weeks";
import { showSavings } from "./value/bookingSavings";

export const NOTE_MAX = 1000;

export const TIMESHEET_FIELDS: Record<string, string> = { actual_hours: "timesheet-hours", note: "timesheet-note" };
export const COMPLETE_FIELDS: Record<string, string> = { actual_hours: "actual-hours" };

export interface BookingState {
  booking: Booking;
  history: HistoryEvent[];
  /** The week it is now, as well as the viewer can know it. */
  now: string;
  timesheet: { hours: string; note: string };
  complete: { hours: string };
  errors: FormErrors;
  banner: BannerOptions | null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function bookingTitle(booking: Booking): string {
  return `Booking of ${booking.officer.display_name}`;
}

function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return html`${parts.map((part, i) => html`<p class="govuk-body${i === parts.length - 1 ? " govuk-!-margin-bottom-0" : ""}">${part}</p>`)}`;
}

export function bookingRows(booking: Booking): SummaryRow[] {
  const rows: SummaryRow[] = [
    { key: "Reference", value: html`<span id="booking-reference">${booking.reference}</span>` },
    { key: "Status", value: html`<span id="booking-status">${bookingStatusTag(booking.status, booking.late_cancellation)}</span>` },
    { key: "Officer", value: booking.officer.job_title ? `${booking.officer.display_name}, ${booking.officer.job_title}` : booking.officer.display_name },
    { key: "Officer's council", value: booking.lending_council.name },
    { key: "Booked by", value: booking.booking_council.name },
    { key: "Week", value: weekLabel(booking.week) },
    { key: "Hours booked", value: hoursText(booking.hours) },
    { key: "Rate", value: formatRate(booking.rate_pence_per_hour) },
    { key: "The work", value: paragraphs(booking.purpose) },
    { key: "Purchase order number", value: booking.purchase_order || "None" },
    { key: "Requested", value: formatDateTime(booking.requested_at) },
  ];
  if (booking.status === "requested") rows.push({ key: "Answer needed by", value: capitalise(formatDeadline(booking.expires_at)) });
  if (booking.decided_at) {
    rows.push({ key: booking.status === "declined" ? "Declined" : "Confirmed", value: formatDateTime(booking.decided_at) });
  }
  if (booking.decline_reason) rows.push({ key: "Reason for declining", value: booking.decline_reason });
  if (booking.cancelled_at) {
    rows.push({
      key: "Cancelled",
      value: html`${formatDateTime(booking.cancelled_at)}${
        booking.late_cancellation ? html`<span class="govuk-body-s tp-week-note" id="late-note">Late: inside ${booking.lending_council.name}'s notice period</span>` : ""
      }`,
    });
  }
  if (booking.cancel_reason) rows.push({ key: "Reason for cancelling", value: booking.cancel_reason });
  const charge = booking.late_cancellation_charge;
  if (charge) {
    rows.push({
      key: "Late cancellation charge",
      value: html`<span id="late-charge">${formatPence(charge.net_pence)} plus VAT: ${String(charge.percent)}% of the booked hours (${hoursText(charge.hours)})</span><span class="govuk-body-s tp-week-note">On ${booking.lending_council.name}'s next recharge invoice</span>`,
    });
  }
  if (booking.timesheet_hours !== null) {
    rows.push({
      key: "Hours reported by the officer",
      value: html`${hoursText(booking.timesheet_hours)} ${booking.timesheet_note ? html`<span class="govuk-body-s tp-week-note">Note: ${booking.timesheet_note}</span>` : ""}`,
    });
  }
  if (booking.actual_hours !== null) rows.push({ key: "Hours worked", value: hoursText(booking.actual_hours) });
  if (booking.completed_at) rows.push({ key: "Completed", value: formatDateTime(booking.completed_at) });
  return rows;
}

const VAT_LABELS: Record<string, string> = {
  zero: "zero-rated",
  exempt: "exempt from VAT",
  outside_scope: "outside the scope of VAT",
};

/** What the booking costs the booking council: hours x rate, VAT, total. */
export function costRows(booking: Booking): SummaryRow[] {
  const cost = booking.cost;
  const basis = booking.actual_hours !== null ? "worked" : "booked";
  const vatKey = cost.vat_treatment === "standard" ? `VAT at ${cost.vat_rate_bps / 100}%` : "VAT";
  const vatValue = cost.vat_treatment === "standard" ? formatPence(cost.vat_pence) : `None: ${booking.lending_council.name}'s recharges are ${VAT_LABELS[cost.vat_treatment] ?? cost.vat_treatment}`;
  return [
    { key: `${hoursText(cost.hours)} ${basis} at ${formatRate(cost.rate_pence_per_hour)}`, value: html`<span id="cost-net">${formatPence(cost.net_pence)}</span>` },
    { key: vatKey, value: html`<span id="cost-vat">${vatValue}</span>` },
    { key: "Total", value: html`<strong id="cost-gross">${formatPence(cost.gross_pence)}</strong>` },
  ];
}

const CONTACT_ROLES: Record<string, string> = { booker: "Booker", officer: "Officer", manager: "Manager" };

function contactList(contacts: readonly Contact[]): SafeHtml {
  if (contacts.length === 0) return html`<p class="govuk-body">Nobody to contact at the moment.</p>`;
  return html`<ul class="govuk-list tp-contacts">${contacts.map(
    (c) => html`<li>${c.name} (${CONTACT_ROLES[c.role] ?? c.role}): <a class="govuk-link" href="mailto:${c.email}">${c.email}</a></li>`,
  )}</ul>`;
}

function contactsSection(booking: Booking): SafeHtml {
  if (!booking.contacts) return html``;
  return html`<h2 class="govuk-heading-m" id="contacts">Who to contact</h2>
<h3 class="govuk-heading-s">${booking.booking_council.name} (booking)</h3>
${contactList(booking.contacts.booking)}
<h3 class="govuk-heading-s">${booking.lending_council.name} (lending)</h3>
${contactList(booking.contacts.lending)}`;
}

function historySection(events: readonly HistoryEvent[]): SafeHtml {
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at));
  return html`<h2 class="govuk-heading-m" id="history">History</h2>
${
  ordered.length === 0
    ? html`<p class="govuk-body">Nothing has happened yet.</p>`
    : html`<ol class="govuk-list tp-timeline" id="history-list">
  ${ordered.map(
    (event) => html`<li class="tp-timeline__item">
    <h3 class="govuk-heading-s tp-timeline__title">${historyLabel(event.action)}</h3>
    <p class="govuk-body-s tp-timeline__date"><time datetime="${event.at}">${formatDateTime(event.at)}</time></p>
    <p class="govuk-body tp-timeline__text">${event.summary}</p>
  </li>`,
  )}
</ol>`
}`;
}

function answerSection(booking: Booking, viewerIsOfficer: boolean): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="answer">Answer this request</h2>
<p class="govuk-body">${booking.booking_council.name} asks for ${hoursText(booking.hours)} of ${viewerIsOfficer ? "your" : `${booking.officer.display_name}'s`} time, ${weekLabel(booking.week)}. Answer by ${formatDeadline(booking.expires_at)}, or the request expires.</p>
<div class="govuk-button-group">
  <a href="/bookings/${booking.id}/confirm" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="confirm-link">Confirm booking</a>
  <a class="govuk-link" href="/bookings/${booking.id}/decline">Decline</a>
</div>`;
}

function timesheetSection(state: BookingState): SafeHtml {
  const { booking, errors } = state;
  return html`<h2 class="govuk-heading-m" id="timesheet">${booking.timesheet_hours === null ? "Record the hours you worked" : "Change the hours you reported"}</h2>
<p class="govuk-body">${booking.booking_council.name} checks them and completes the booking.</p>
<form method="post" action="/bookings/${booking.id}/timesheet" novalidate id="timesheet-form">
  ${textInput({
    id: "timesheet-hours",
    name: "actual_hours",
    label: "Hours you worked",
    labelClass: "govuk-label--s",
    hint: `In quarter hours, up to the ${hoursText(booking.hours)} booked. Enter 0 if you did not work any.`,
    inputmode: "decimal",
    inputClass: "govuk-input--width-4",
    spellcheck: false,
    autocomplete: "off",
    suffix: "hours",
    value: state.timesheet.hours,
    error: errors.fields["timesheet-hours"],
  })}
  ${textarea({
    id: "timesheet-note",
    name: "note",
    label: "Note (optional)",
    labelClass: "govuk-label--s",
    hint: "For example, what you did, or why you worked fewer hours.",
    value: state.timesheet.note,
    error: errors.fields["timesheet-note"],
    rows: 3,
    maxlength: NOTE_MAX,
  })}
  ${button("Send hours")}
</form>`;
}

function completeSection(state: BookingState): SafeHtml {
  const { booking, errors } = state;
  const reported =
    booking.timesheet_hours === null
      ? `${booking.officer.display_name} has not reported their hours yet.`
      : `${booking.officer.display_name} reported ${hoursText(booking.timesheet_hours)} worked.`;
  return html`<h2 class="govuk-heading-m" id="complete">Complete the booking</h2>
<p class="govuk-body">${reported} Record the hours actually worked: ${booking.lending_council.name} invoices your council for them.</p>
<form method="post" action="/bookings/${booking.id}/complete" novalidate id="complete-form">
  ${textInput({
    id: "actual-hours",
    name: "actual_hours",
    label: "Hours worked",
    labelClass: "govuk-label--s",
    hint: `In quarter hours, up to the ${hoursText(booking.hours)} booked. Enter 0 if no work was done.`,
    inputmode: "decimal",
    inputClass: "govuk-input--width-4",
    spellcheck: false,
    autocomplete: "off",
    suffix: "hours",
    value: state.complete.hours,
    error: errors.fields["actual-hours"],
  })}
  ${button("Complete booking")}
</form>`;
}

function cancelSection(booking: Booking): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="cancel">Cancel this booking</h2>
<p class="govuk-body">You can cancel until the week starts. A cancellation inside ${booking.lending_council.name}'s notice period is recorded as late.</p>
<p class="govuk-body"><a class="govuk-link" href="/bookings/${booking.id}/cancel">Cancel this booking</a></p>`;
}

export function bookingContent(state: BookingState, actions: Actions, viewerIsOfficer: boolean): SafeHtml {
  const { booking, errors } = state;
  return html`<a href="/bookings" class="govuk-back-link">Back to bookings</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    ${state.banner && errors.summary.length === 0 ? notificationBanner(state.banner) : ""}
    <span class="govuk-caption-l">${weekLabel(booking.week)}</span>
    <h1 class="govuk-heading-l">${bookingTitle(booking)}</h1>
    ${summaryList(bookingRows(booking))}
    <h2 class="govuk-heading-m" id="cost">Cost</h2>
    ${summaryList(costRows(booking))}
    <p class="govuk-body-s">${booking.lending_council.name} invoices ${booking.booking_council.name} for the hours worked, quoting ${booking.reference}.</p>
    ${contactsSection(booking)}
    <div id="booking-savings"></div>
    ${actions.answer ? answerSection(booking, viewerIsOfficer) : ""}
    ${actions.timesheet ? timesheetSection(state) : ""}
    ${actions.complete ? completeSection(state) : ""}
    ${actions.cancel ? cancelSection(booking) : ""}
    ${historySection(state.history)}
    <div id="booking-messages"></div>
  </div>
</div>`;
}

/** The conversation on the booking, below its history; fetched on its own, so the booking
 * shows even if it fails. */
async function showMessages(view: View, main: HTMLElement, bookingId: string, messages: Message[] | null = null, error?: string, value?: string): Promise<void> {
  const path = `/bookings/${seg(bookingId)}/messages`;
  let thread = messages;
  if (thread === null) {
    try {
      thread = await loadMessages(path, view.signal);
    } catch {
      return;
    }
  }
  const box = main.querySelector<HTMLElement>("#booking-messages");
  if (!box || !view.isCurrent()) return;
  box.innerHTML = messagesSection(thread, error, value).toString();
  const shown = thread;
  wireMessages(box, path, view.signal, (fresh, err, text) => void showMessages(view, main, bookingId, fresh ?? shown, err, text));
  if (error) box.querySelector<HTMLElement>("#message-text")?.focus();
}

function draw(view: View, state: BookingState): void {
  const viewer = viewerOf(view.me, state.booking);
  const actions = actionsFor(state.booking, viewer, state.now);
  view.setTitle(errorTitle(bookingTitle(state.booking), state.errors));
  const main = view.show(bookingContent(state, actions, viewer.officer));
  if (!main) return;
  void showSavings(view, main, state.booking);
  const on = submitGuard();
  on(main.querySelector<HTMLFormElement>("#timesheet-form"), (form) =>
    sendTimesheet(view, state, { hours: formText(form, "actual_hours"), note: formText(form, "note") }),
  );
  on(main.querySelector<HTMLFormElement>("#complete-form"), (form) => complete(view, state, { hours: formText(form, "actual_hours") }));
  void showMessages(view, main, state.booking.id);
}

async function load(view: View, id: string): Promise<{ booking: Booking; history: HistoryEvent[] }> {
  const [booking, history] = await Promise.all([
    api.get<Booking>(`/bookings/${seg(id)}`, { signal: view.signal }),
    api.get<HistoryEvent[]>(`/bookings/${seg(id)}/history`, { signal: view.signal }),
  ]);
  return { booking, history };
}

export function initialValues(booking: Booking): Pick<BookingState, "timesheet" | "complete"> {
  return {
    timesheet: {
      hours: booking.timesheet_hours === null ? "" : formatHours(booking.timesheet_hours),
      note: booking.timesheet_note ?? "",
    },
    complete: { hours: booking.timesheet_hours === null ? "" : formatHours(booking.timesheet_hours) },
  };
}

/** After an action: the booking as it is now, with a banner. */
async function done(view: View, state: BookingState, booking: Booking, banner: BannerOptions): Promise<void> {
  let history = state.history;
  try {
    history = await api.get<HistoryEvent[]>(`/bookings/${seg(booking.id)}/history`, { signal: view.signal });
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (!view.isCurrent()) return;
  draw(view, { ...state, ...initialValues(booking), booking, history, errors: noErrors(), banner });
}

/** After a refusal: the errors, over the booking as it is now (it may have changed). */
async function refused(view: View, state: BookingState, error: unknown, fields: Record<string, string>, values: Partial<BookingState> = {}): Promise<void> {
  const problem = toProblem(error);
  if (!problem || !view.isCurrent()) return;
  let fresh: { booking: Booking; history: HistoryEvent[] } | null = null;
  if (problem.status === 409) {
    try {
      fresh = await load(view, state.booking.id);
    } catch (reload) {
      if (!toProblem(reload)) return;
    }
  }
  if (!view.isCurrent()) return;
  draw(view, { ...state, ...values, ...(fresh ?? {}), errors: errorsFromProblem(problem, fields), banner: null });
}

export function validateTimesheet(values: { hours: string; note: string }, booked: number): { errors: FormErrors; body: { actual_hours: number; note?: string } | null } {
  const errors = noErrors();
  const hours = parseActualHours(values.hours, booked, "Enter the hours you worked", "Hours you worked");
  if (!hours.ok) addFieldError(errors, "timesheet-hours", hours.error);
  if (values.note.length > NOTE_MAX) addFieldError(errors, "timesheet-note", `The note must be ${NOTE_MAX} characters or fewer`);
  if (!hours.ok || errors.summary.length > 0) return { errors, body: null };
  return { errors, body: values.note ? { actual_hours: hours.value, note: values.note } : { actual_hours: hours.value } };
}

async function sendTimesheet(view: View, state: BookingState, values: { hours: string; note: string }): Promise<void> {
  const { errors, body } = validateTimesheet(values, state.booking.hours);
  if (!body) {
    draw(view, { ...state, timesheet: values, errors, banner: null });
    return;
  }
  let booking: Booking;
  try {
    booking = await api.post<Booking>(`/bookings/${seg(state.booking.id)}/timesheet`, body, { signal: view.signal });
  } catch (error) {
    await refused(view, state, error, TIMESHEET_FIELDS, { timesheet: values });
    return;
  }
  await done(view, state, booking, {
    heading: `Hours sent: ${hoursText(booking.timesheet_hours ?? body.actual_hours)}`,
    text: `${booking.booking_council.name} has been told. They complete the booking.`,
    success: true,
  });
}

export function validateCompletion(values: { hours: string }, booked: number): { errors: FormErrors; body: { actual_hours: number } | null } {
  const errors = noErrors();
  const hours = parseActualHours(values.hours, booked, "Enter the hours worked", "Hours worked");
  if (!hours.ok) {
    addFieldError(errors, "actual-hours", hours.error);
    return { errors, body: null };
  }
  return { errors, body: { actual_hours: hours.value } };
}

async function complete(view: View, state: BookingState, values: { hours: string }): Promise<void> {
  const { errors, body } = validateCompletion(values, state.booking.hours);
  if (!body) {
    draw(view, { ...state, complete: values, errors, banner: null });
    return;
  }
  let booking: Booking;
  try {
    booking = await api.post<Booking>(`/bookings/${seg(state.booking.id)}/complete`, body, { signal: view.signal });
  } catch (error) {
    await refused(view, state, error, COMPLETE_FIELDS, { complete: values });
    return;
  }
  await done(view, state, booking, {
    heading: "Booking completed",
    text: `${hoursText(booking.actual_hours ?? body.actual_hours)} of ${booking.officer.display_name}'s time recorded as worked.`,
    success: true,
  });
}

export const bookingPage: Page = {
  path: "/bookings/:id",
  title: "Booking",
  access: "signed-in",
  roles: ["officer", "booker", "manager", "finance", "council_admin"],
  async render(view) {
    let loaded: { booking: Booking; history: HistoryEvent[] };
    try {
      loaded = await load(view, view.params.id ?? "");
    } catch (error) {
      // Not an id at all (422): as good as not found.
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    draw(view, {
      ...loaded,
      ...initialValues(loaded.booking),
      now: serverWeek(view.me),
      errors: noErrors(),
      banner: takeFlash(),
    });
  },
};
