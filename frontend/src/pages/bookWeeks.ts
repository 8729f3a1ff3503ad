// "Book several weeks": from a people-search result, a booker books the same hours in each
// ticked week of one officer (/book/weeks?officer=ID&week=2026-W50&week=2026-W51). Each week is
// its own booking, with its own Idempotency-Key, so sending again after a network failure
// books no week twice; weeks that could not be booked are said plainly, the others are kept.
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, textInput, textarea } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { formatRate } from "../format";
import { IdempotentForm } from "../idempotency";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import type { Booking, OfficerProfile, PeoplePage, WeekFree } from "../models";
import { isWeek, weekLabel } from "../weeks";
import { type BookValues, PO_MAX, PURPOSE_MAX, validateBooking } from "./book";
import { lastFindPath } from "./find";

export const MAX_WEEKS = 26;

export interface BookWeeksState {
  officer: OfficerProfile;
  /** The weeks still to book, each with what is free now (null: none left). */
  weeks: { week: string; free: WeekFree | null }[];
  booked: Booking[];
  values: BookValues;
  errors: FormErrors;
  submissions: Map<string, IdempotentForm>;
  poRequired: boolean;
}

/** The officer's free weeks between the first and last wanted, from the people search. */
export async function freeWeeks(officer: OfficerProfile, weeks: readonly string[], signal?: AbortSignal): Promise<Map<string, WeekFree>> {
  const sorted = [...weeks].sort();
  const query = new URLSearchParams({ q: officer.display_name.slice(0, 200), from: sorted[0]!, to: sorted[sorted.length - 1]!, limit: "200" });
  const page = await api.get<PeoplePage>(`/search/people?${query}`, { signal });
  const hit = page.items.find((item) => item.officer.id === officer.id);
  return new Map((hit?.weeks ?? []).map((w) => [w.week, w]));
}

function weekRows(state: BookWeeksState): SafeHtml {
  return summaryList([
    { key: "Officer", value: state.officer.job_title ? `${state.officer.display_name}, ${state.officer.job_title}` : state.officer.display_name },
    { key: "Council", value: state.officer.council.name },
    { key: "Rate", value: formatRate(state.officer.rate_pence_per_hour) },
    ...state.weeks.map(({ week, free }) => ({ key: weekLabel(week), value: free ? `${hoursText(free.available_hours)} free` : "None left" })),
  ]);
}

function bookedList(booked: readonly Booking[]): SafeHtml {
  if (booked.length === 0) return html``;
  return html`<h2 class="govuk-heading-m">Already requested</h2>
<ul class="govuk-list" id="booked">${booked.map((b) => html`<li><a class="govuk-link" href="/bookings/${b.id}">${b.reference}</a>: ${hoursText(b.hours)}, ${weekLabel(b.week)}</li>`)}</ul>`;
}

export function bookWeeksContent(state: BookWeeksState): SafeHtml {
  const { officer, values, errors } = state;
  const bookable = state.weeks.filter((w) => w.free);
  const least = Math.min(...bookable.map((w) => w.free!.available_hours));
  return html`<a href="${lastFindPath()}" class="govuk-back-link">Back to search results</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Book an officer</span>
    <h1 class="govuk-heading-l">Book ${officer.display_name} for ${state.weeks.length === 1 ? "1 week" : `${state.weeks.length} weeks`}</h1>
    ${weekRows(state)}
    ${bookedList(state.booked)}
    ${
      bookable.length === 0
        ? html`<p class="govuk-body" id="none-left">${officer.display_name} has no hours left in these weeks.</p>`
        : html`<form method="post" action="/book/weeks" novalidate id="book-weeks-form">
      ${textInput({ id: "hours", label: "Hours to book each week", labelClass: "govuk-label--s", hint: `In quarter hours. Up to ${hoursText(least)}, the least free in these weeks.`, inputmode: "decimal", inputClass: "govuk-input--width-4", spellcheck: false, autocomplete: "off", suffix: "hours", value: values.hours, error: errors.fields.hours })}
      ${textarea({ id: "purpose", label: "What is the work?", labelClass: "govuk-label--s", hint: `${officer.display_name} and their manager read this before they confirm.`, value: values.purpose, error: errors.fields.purpose, rows: 5, maxlength: PURPOSE_MAX })}
      ${textInput({ id: "purchase_order", label: state.poRequired ? "Purchase order number" : "Purchase order number (optional)", labelClass: "govuk-label--s", hint: "It is printed on the invoice.", inputClass: "govuk-input--width-20", spellcheck: false, autocomplete: "off", maxlength: PO_MAX, value: values.purchase_order, error: errors.fields.purchase_order })}
      <p class="govuk-body">Each week is a booking of its own. ${officer.display_name} or their manager confirms each one.</p>
      ${button(bookable.length === 1 ? "Send booking request" : `Send ${bookable.length} booking requests`)}
    </form>`
    }
  </div>
</div>`;
}

function draw(view: View, state: BookWeeksState): void {
  view.setTitle(errorTitle(`Book ${state.officer.display_name}`, state.errors));
  const main = view.show(bookWeeksContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#book-weeks-form"), (form) =>
    bookAll(view, state, { hours: formText(form, "hours"), purpose: formText(form, "purpose"), purchase_order: formText(form, "purchase_order") }),
  );
}

/** Books each bookable week in turn; what failed stays on the page with the reason. */
async function bookAll(view: View, state: BookWeeksState, values: BookValues): Promise<void> {
  const bookable = state.weeks.filter((w) => w.free);
  const least = bookable.reduce((low, w) => (w.free!.available_hours < low.free!.available_hours ? w : low));
  // Checked against the week with the least free: the same hours go into every week.
  const limit = validateBooking(values, { officer: state.officer, week: least.week, hit: { ...least.free!, officer: state.officer, rate_pence_per_hour: 0, matched_skills: 0 }, poRequired: state.poRequired });
  if (!limit.body) {
    draw(view, { ...state, values, errors: limit.errors });
    return;
  }
  const booked = [...state.booked];
  const errors = noErrors();
  for (const { week } of bookable) {
    const body = { ...limit.body, week };
    const form = state.submissions.get(week) ?? new IdempotentForm();
    state.submissions.set(week, form);
    try {
      booked.push(await api.post<Booking>("/bookings", body, { signal: view.signal, headers: { "Idempotency-Key": form.keyFor(body) } }));
      form.answered();
    } catch (error) {
      const problem = toProblem(error);
      if (!problem) return;
      if (problem.status !== 0) form.answered();
      errors.summary.push({ text: `${weekLabel(week)}: ${problem.detail ?? problem.title ?? "not booked"}` });
    }
  }
  if (!view.isCurrent()) return;
  if (errors.summary.length === 0) {
    setFlash({ heading: `${booked.length === 1 ? "1 booking" : `${booked.length} bookings`} requested for ${state.officer.display_name}`, text: booked.map((b) => `${b.reference} (${weekLabel(b.week)})`).join(", "), success: true });
    view.navigate("/bookings");
    return;
  }
  const done = new Set(booked.map((b) => b.week));
  const free = await freeWeeks(state.officer, state.weeks.map((w) => w.week), view.signal).catch(() => new Map<string, WeekFree>());
  if (!view.isCurrent()) return;
  const weeks = state.weeks.filter((w) => !done.has(w.week)).map((w) => ({ week: w.week, free: free.get(w.week) ?? null }));
  draw(view, { ...state, weeks, booked, values, errors });
}

export const bookWeeksPage: Page = {
  path: "/book/weeks",
  title: "Book an officer",
  access: "signed-in",
  roles: ["booker"],
  async render(view) {
    const officerId = view.query.get("officer") ?? "";
    const weeks = [...new Set(view.query.getAll("week"))].sort();
    if (!officerId || weeks.length === 0 || weeks.length > MAX_WEEKS || !weeks.every(isWeek)) throw new ProblemError(404);
    let officer: OfficerProfile;
    try {
      officer = await api.get<OfficerProfile>(`/officers/${seg(officerId)}`, { signal: view.signal });
    } catch (error) {
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    const free = await freeWeeks(officer, weeks, view.signal);
    draw(view, {
      officer,
      weeks: weeks.map((week) => ({ week, free: free.get(week) ?? null })),
      booked: [],
      values: { hours: "", purpose: "", purchase_order: "" },
      errors: noErrors(),
      submissions: new Map(),
      poRequired: view.me?.council?.po_required ?? false,
    });
  },
};
