// "Book": a booker asks for some of an officer's approved hours in one week
// (/book?officer=ID&week=2026-W50, linked from search results and officers' pages). The request
// carries an Idempotency-Key, so sending the form again after a network failure cannot book
// twice. On success, the booking's own page with a success banner.
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, textInput, textarea } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { formatDeadline, formatRate } from "../format";
import { IdempotentForm } from "../idempotency";
import { hoursText, parseHours } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import type { Booking, BookingCreate, ListPage, OfficerProfile, SearchHit } from "../models";
import { isWeek, weekLabel } from "../weeks";
import { lastFindPath } from "./find";

export const PURPOSE_MAX = 1000;
export const PO_MAX = 60;
const PO_PATTERN = /^[A-Za-z0-9 ./_#-]*$/;
const SEARCH_PAGES = 5;

// API field → id of the field the error summary links to.
export const BOOK_FIELDS: Record<string, string> = {
  hours: "hours",
  purpose: "purpose",
  purchase_order: "purchase_order",
};

export const TAKEN = "Someone else has just booked those hours";

export interface BookValues {
  hours: string;
  purpose: string;
  purchase_order: string;
}

export interface BookState {
  officer: OfficerProfile;
  week: string;
  /** The officer's bookable hours in the week; null when none are left. */
  hit: SearchHit | null;
  values: BookValues;
  errors: FormErrors;
  submission: IdempotentForm;
  /** Whether the booker's council needs a purchase order number on every booking (from /me). */
  poRequired: boolean;
}

/**
 * The officer's bookable hours in a week, from the search (which is what a booker may book):
 * searched by the officer's name, then picked out by id.
 */
export async function findHit(officer: OfficerProfile, week: string, signal?: AbortSignal): Promise<SearchHit | null> {
  let cursor: string | null = null;
  for (let i = 0; i < SEARCH_PAGES; i += 1) {
    const query = new URLSearchParams({ week, q: officer.display_name.slice(0, 200), limit: "200" });
    if (cursor) query.set("cursor", cursor);
    const page: ListPage<SearchHit> = await api.get<ListPage<SearchHit>>(`/search/officers?${query}`, { signal });
    const hit = page.items.find((item) => item.officer.id === officer.id && item.week === week);
    if (hit) return hit;
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return null;
}

export function validateBooking(
  values: BookValues,
  state: Pick<BookState, "officer" | "week" | "hit" | "poRequired">,
): { errors: FormErrors; body: BookingCreate | null } {
  const errors = noErrors();
  const available = state.hit?.available_hours ?? 0;
  const hours = parseHours(values.hours, { empty: "Enter the hours you want to book", name: "Hours", max: available });
  if (!hours.ok) {
    const more = hours.error.endsWith(`must be ${available} or fewer`);
    addFieldError(errors, "hours", more ? `You can book at most the ${hoursText(available)} available` : hours.error);
  }
  if (!values.purpose) addFieldError(errors, "purpose", "Enter what the work is");
  else if (values.purpose.length > PURPOSE_MAX) addFieldError(errors, "purpose", `What the work is must be ${PURPOSE_MAX} characters or fewer`);
  if (!values.purchase_order && state.poRequired) {
    addFieldError(errors, "purchase_order", "Enter your council's purchase order number");
  } else if (values.purchase_order.length > PO_MAX) {
    addFieldError(errors, "purchase_order", `The purchase order number must be ${PO_MAX} characters or fewer`);
  } else if (!PO_PATTERN.test(values.purchase_order)) {
    addFieldError(errors, "purchase_order", "The purchase order number can only have letters, numbers, spaces and . / _ # -");
  }
  if (errors.summary.length > 0 || !hours.ok) return { errors, body: null };
  const body: BookingCreate = { officer_id: state.officer.id, week: state.week, hours: hours.value, purpose: values.purpose };
  if (values.purchase_order) body.purchase_order = values.purchase_order;
  return { errors, body };
}

/** Whether a 409 is about the s113 agreement (not about hours). */
export function isAgreementProblem(problem: ProblemError): boolean {
  return problem.status === 409 && /agreement/i.test(`${problem.detail} ${problem.title}`);
}

/** The plain words for "the hours have gone", with what is left now. */
export function takenMessage(officer: OfficerProfile, hit: SearchHit | null): string {
  return hit
    ? `${TAKEN}. ${officer.display_name} now has ${hoursText(hit.available_hours)} left in this week`
    : `${TAKEN}. ${officer.display_name} has no hours left in this week`;
}

function details(state: BookState): SafeHtml {
  const { officer, hit } = state;
  return summaryList([
    { key: "Officer", value: officer.job_title ? `${officer.display_name}, ${officer.job_title}` : officer.display_name },
    { key: "Council", value: officer.council.name },
    { key: "Week", value: weekLabel(state.week) },
    {
      key: "Available",
      value: hit
        ? html`<span id="available-hours">${hoursText(hit.available_hours)}</span>${
            hit.single_booking ? html`<span class="govuk-body-s tp-week-note">Single booking: one booking takes the whole week</span>` : ""
          }`
        : html`<span id="available-hours">None left</span>`,
    },
    { key: "Rate", value: formatRate(hit?.rate_pence_per_hour ?? officer.rate_pence_per_hour) },
  ]);
}

export function bookContent(state: BookState): SafeHtml {
  const { officer, hit, values, errors } = state;
  return html`<a href="${lastFindPath()}" class="govuk-back-link">Back to search results</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Book an officer</span>
    <h1 class="govuk-heading-l">Book ${officer.display_name}</h1>
    ${details(state)}
    ${
      hit
        ? html`<form method="post" action="/book" novalidate id="book-form">
      ${textInput({
        id: "hours",
        label: "Hours to book",
        labelClass: "govuk-label--s",
        hint: `In quarter hours, for example 7.5 for 7 hours 30 minutes. Up to ${hoursText(hit.available_hours)}.`,
        inputmode: "decimal",
        inputClass: "govuk-input--width-4",
        spellcheck: false,
        autocomplete: "off",
        suffix: "hours",
        value: values.hours,
        error: errors.fields.hours,
      })}
      ${textarea({
        id: "purpose",
        label: "What is the work?",
        labelClass: "govuk-label--s",
        hint: `${officer.display_name} and their manager read this before they confirm.`,
        value: values.purpose,
        error: errors.fields.purpose,
        rows: 5,
        maxlength: PURPOSE_MAX,
      })}
      ${textInput({
        id: "purchase_order",
        label: state.poRequired ? "Purchase order number" : "Purchase order number (optional)",
        labelClass: "govuk-label--s",
        hint: state.poRequired
          ? "Your council needs a purchase order number on every booking. It is printed on the invoice."
          : "If your council raises one for this work, it is printed on the invoice.",
        inputClass: "govuk-input--width-20",
        spellcheck: false,
        autocomplete: "off",
        maxlength: PO_MAX,
        value: values.purchase_order,
        error: errors.fields.purchase_order,
      })}
      <p class="govuk-body">${officer.display_name} or their manager will be asked to confirm. If nobody answers within 3 working days, the request expires and the hours are free again.</p>
      ${button("Send booking request")}
    </form>`
        : html`<p class="govuk-body" id="none-left">${officer.display_name} has no hours left to book in this week.</p>
    <p class="govuk-body"><a class="govuk-link" href="${lastFindPath()}">Find other officers or weeks</a></p>`
    }
  </div>
</div>`;
}

function readValues(form: HTMLFormElement): BookValues {
  return {
    hours: formText(form, "hours"),
    purpose: formText(form, "purpose"),
    purchase_order: formText(form, "purchase_order"),
  };
}

function draw(view: View, state: BookState): void {
  view.setTitle(errorTitle(`Book ${state.officer.display_name}`, state.errors));
  const main = view.show(bookContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#book-form"), (form) => book(view, state, readValues(form)));
}

async function book(view: View, state: BookState, values: BookValues): Promise<void> {
  const { errors, body } = validateBooking(values, state);
  if (!body) {
    draw(view, { ...state, values, errors });
    return;
  }
  let booking: Booking;
  try {
    const key = state.submission.keyFor(body);
    booking = await api.post<Booking>("/bookings", body, { signal: view.signal, headers: { "Idempotency-Key": key } });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    // An answer from the server (even a refusal) ends this submission; a network failure does
    // not, so sending the same form again reuses its key.
    if (problem.status !== 0) state.submission.answered();
    await refused(view, state, values, problem);
    return;
  }
  state.submission.answered();
  setFlash({
    heading: `Booking requested: ${hoursText(booking.hours)} of ${booking.officer.display_name}'s time`,
    text: `${weekLabel(booking.week)}. ${booking.officer.display_name} or their manager will confirm or decline it by ${formatDeadline(booking.expires_at)}.`,
    success: true,
  });
  view.navigate(`/bookings/${booking.id}`);
}

async function refused(view: View, state: BookState, values: BookValues, problem: ProblemError): Promise<void> {
  if (problem.status === 409 && !isAgreementProblem(problem)) {
    // The hours went (or were never there): say so plainly and show what is left now.
    let hit = state.hit;
    try {
      hit = await findHit(state.officer, state.week, view.signal);
    } catch (error) {
      if (!toProblem(error)) return;
    }
    if (!view.isCurrent()) return;
    const errors = noErrors();
    const message = takenMessage(state.officer, hit);
    if (hit) addFieldError(errors, "hours", message);
    else errors.summary.push({ text: message });
    draw(view, { ...state, hit, values, errors });
    return;
  }
  draw(view, { ...state, values, errors: errorsFromProblem(problem, BOOK_FIELDS) });
}

export const bookPage: Page = {
  path: "/book",
  title: "Book an officer",
  access: "signed-in",
  roles: ["booker"],
  async render(view) {
    const officerId = view.query.get("officer") ?? "";
    const week = view.query.get("week") ?? "";
    if (!officerId || !isWeek(week)) throw new ProblemError(404);
    let officer: OfficerProfile;
    try {
      officer = await api.get<OfficerProfile>(`/officers/${seg(officerId)}`, { signal: view.signal });
    } catch (error) {
      // Not an id at all (422): as good as not found.
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    const hit = await findHit(officer, week, view.signal);
    draw(view, {
      officer,
      week,
      hit,
      values: { hours: "", purpose: "", purchase_order: "" },
      errors: noErrors(),
      submission: new IdempotentForm(),
      poRequired: view.me?.council?.po_required ?? false,
    });
  },
};
