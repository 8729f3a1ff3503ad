// "Your availability": the officer's coming weeks as a table, and a form to offer the same hours
// for a run of weeks (POST /officers/me/availability/plan). One week is changed or withdrawn on
// its own page (availabilityWeek.ts).
import { type ProblemError, api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import {
  addFieldError,
  errorTitle,
  errorsFromProblem,
  hasErrors,
  noErrors,
  tidyMessage,
  type FormErrors,
} from "../components/formErrors";
import { button, checkboxes, formText, formValues, select, textInput } from "../components/forms";
import { submitGuard } from "../components/submit";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { statusTag } from "../components/statusTag";
import { table } from "../components/table";
import { hoursText, parseHours, parseWhole } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Availability, ListPage, Officer, Week } from "../models";
import { addWeeks, firstOpenWeek, isWeek, weekLabel, weekRange } from "../weeks";

const TITLE = "Your availability";
/** Weeks shown at a time, as the API's default calendar. */
export const CALENDAR_WEEKS = 12;
/** How far ahead a run of weeks may start. */
const START_CHOICES = 52;
export const MAX_RUN = 52;

export const PLAN_FIELDS: Record<string, string> = {
  from_week: "plan-from",
  weeks: "plan-weeks",
  hours: "plan-hours",
  single_booking: "plan-single",
};

export const CONSENT_LINK = "/profile#consent";
export const CONSENT_MESSAGE = "Give your consent to be placed with other councils on your profile page before you list hours";

export interface PlanValues {
  from_week: string;
  weeks: string;
  hours: string;
  single_booking: boolean;
}

export interface PlanBody {
  from_week: string;
  weeks: number;
  hours: number;
  single_booking: boolean;
}

export interface AvailabilityState {
  weeks: Week[];
  officer: Officer;
  /** The server's week (from /me): the first week that can be listed is the next one. */
  currentWeek: string;
  /** The `from` week asked for in the address, if any. */
  from: string | null;
  plan: PlanValues;
  errors: FormErrors;
  banner: BannerOptions | null;
}

/** Whether a problem is the API's "no consent yet" refusal (409). */
export function isConsentProblem(problem: ProblemError): boolean {
  return problem.status === 409 && /consent/i.test(`${problem.detail} ${problem.title}`);
}

/** The errors to show for a failed change of hours; `fields` maps API names to field ids. */
export function hoursErrors(problem: ProblemError, fields: Record<string, string>, hoursField: string): FormErrors {
  if (isConsentProblem(problem)) {
    return { summary: [{ text: CONSENT_MESSAGE, href: CONSENT_LINK }], fields: {} };
  }
  if (problem.status === 409 && problem.errors.length === 0) {
    // Below the hours already booked: it is about the hours.
    const errors = noErrors();
    addFieldError(errors, hoursField, tidyMessage(problem.detail || "These hours cannot be changed now"));
    return errors;
  }
  return errorsFromProblem(problem, fields);
}

export function validatePlan(values: PlanValues): { errors: FormErrors; body: PlanBody | null } {
  const errors = noErrors();
  if (!isWeek(values.from_week)) addFieldError(errors, "plan-from", "Select the first week");
  const weeks = parseWhole(values.weeks, "Number of weeks", 1, MAX_RUN, "Enter the number of weeks");
  if (!weeks.ok) addFieldError(errors, "plan-weeks", weeks.error);
  const hours = parseHours(values.hours, { empty: "Enter the hours you can offer each week", name: "Hours per week" });
  if (!hours.ok) addFieldError(errors, "plan-hours", hours.error);
  if (hasErrors(errors) || !weeks.ok || !hours.ok) return { errors, body: null };
  return {
    errors,
    body: { from_week: values.from_week, weeks: weeks.value, hours: hours.value, single_booking: values.single_booking },
  };
}

/**
 * The first week that can still be listed: the week after the server's current week (the
 * calendar's own `started` flags agree, and win if the day has moved on since /me).
 */
export function firstOpen(weeks: readonly Week[], currentWeek: string): string {
  const fallback = firstOpenWeek(currentWeek);
  const index = weeks.findIndex((week) => !week.started);
  if (index > 0) return weeks[index]!.week > fallback ? weeks[index]!.week : fallback;
  return fallback;
}

function bankHolidays(week: Week): SafeHtml {
  return html`${week.bank_holidays.map(
    (day) => html`<span class="govuk-body-s tp-week-note">Bank holiday: ${day.name}</span>`,
  )}`;
}

function statusCell(week: Week): SafeHtml {
  let note: SafeHtml | string = "";
  if (week.reject_reason && week.status === "rejected") {
    note = html`<span class="govuk-body-s tp-week-note">Reason: ${week.reject_reason}</span>`;
  } else if (week.reject_reason && week.status === "approved") {
    note = html`<span class="govuk-body-s tp-week-note">More hours not approved: ${week.reject_reason}</span>`;
  } else if (week.status === "pending" && week.approved_hours > 0) {
    note = html`<span class="govuk-body-s tp-week-note">${hoursText(week.pending_hours)} more waiting</span>`;
  }
  return html`${statusTag(week.status)} ${note}`;
}

function actionCell(week: Week): SafeHtml {
  if (week.started) return html`<span class="govuk-body-s tp-week-note">Started</span>`;
  const { week: text } = week;
  const verb = week.status === null || week.status === "withdrawn" || week.status === "rejected" ? "List hours" : "Change";
  return html`<a class="govuk-link" href="/availability/${text}">${verb}<span class="govuk-visually-hidden"> for ${weekLabel(text)}</span></a>`;
}

function pagination(weeks: readonly Week[]): SafeHtml {
  const first = weeks[0]?.week;
  if (!first) return html``;
  const previous = addWeeks(first, -CALENDAR_WEEKS);
  const next = addWeeks(first, CALENDAR_WEEKS);
  const range = (start: string) => `${weekLabel(start)} to ${weekLabel(addWeeks(start, CALENDAR_WEEKS - 1))}`;
  return html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Other weeks">
  <div class="govuk-pagination__prev">
    <a class="govuk-link govuk-pagination__link" href="/availability?from=${previous}" rel="prev">
      <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>
      <span class="govuk-pagination__link-title">Earlier weeks</span><span class="govuk-visually-hidden">:</span>
      <span class="govuk-pagination__link-label">${range(previous)}</span>
    </a>
  </div>
  <div class="govuk-pagination__next">
    <a class="govuk-link govuk-pagination__link" href="/availability?from=${next}" rel="next">
      <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>
      <span class="govuk-pagination__link-title">Later weeks</span><span class="govuk-visually-hidden">:</span>
      <span class="govuk-pagination__link-label">${range(next)}</span>
    </a>
  </div>
</nav>`;
}

function consentWarning(officer: Officer): SafeHtml {
  if (officer.consent_current) return html``;
  return html`<div class="govuk-warning-text" id="consent-warning">
  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
  <strong class="govuk-warning-text__text">
    <span class="govuk-visually-hidden">Warning</span>
    You need to give your consent to be placed with other councils before you can list hours.
    <a class="govuk-link" href="${CONSENT_LINK}">Give your consent on your profile page</a>.
  </strong>
</div>`;
}

export function availabilityContent(state: AvailabilityState): SafeHtml {
  const { weeks, plan, errors } = state;
  const open = firstOpen(weeks, state.currentWeek);
  const starts = weekRange(open, START_CHOICES);
  if (plan.from_week && isWeek(plan.from_week) && !starts.includes(plan.from_week)) starts.unshift(plan.from_week);
  return html`${errorSummary(errors.summary)}
${state.banner && !hasErrors(errors) ? notificationBanner(state.banner) : ""}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">The hours you offer to other councils each week. Your manager signs off new hours before other councils can book them.</p>
${consentWarning(state.officer)}
${table({
  id: "weeks",
  caption: "Your weeks",
  head: ["Week", "Hours offered", "Approved", "Booked", "Status", "Working days", "Action"],
  rows: weeks.map((week) => [
    html`${weekLabel(week.week)} ${bankHolidays(week)}`,
    hoursText(week.hours),
    hoursText(week.approved_hours),
    hoursText(week.booked_hours),
    statusCell(week),
    String(week.working_days),
    actionCell(week),
  ]),
  empty: "There are no weeks to show.",
  cards: { title: 0, actions: 6 },
})}
${pagination(weeks)}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h2 class="govuk-heading-m" id="plan">Add a run of weeks</h2>
    <p class="govuk-body">Offer the same hours each week for several weeks in a row. Weeks you have already listed are changed to these hours.</p>
    <form method="post" action="/availability/plan" novalidate id="plan-form">
      ${select({
        id: "plan-from",
        name: "from_week",
        label: "First week",
        items: starts.map((week) => ({ value: week, text: weekLabel(week) })),
        value: plan.from_week || open,
        error: errors.fields["plan-from"],
      })}
      ${textInput({
        id: "plan-weeks",
        name: "weeks",
        label: "Number of weeks",
        hint: `Up to ${MAX_RUN} weeks.`,
        inputmode: "numeric",
        inputClass: "govuk-input--width-3",
        spellcheck: false,
        autocomplete: "off",
        value: plan.weeks,
        error: errors.fields["plan-weeks"],
      })}
      ${textInput({
        id: "plan-hours",
        name: "hours",
        label: "Hours per week",
        hint: "In quarter hours, for example 7.5 for 7 hours 30 minutes.",
        inputmode: "decimal",
        inputClass: "govuk-input--width-4",
        spellcheck: false,
        autocomplete: "off",
        suffix: "hours",
        value: plan.hours,
        error: errors.fields["plan-hours"],
      })}
      ${checkboxes({
        idPrefix: "plan-single-group",
        name: "single_booking",
        legend: "Bookings",
        legendSize: "s",
        error: errors.fields["plan-single"],
        items: [
          {
            id: "plan-single",
            value: "yes",
            text: "Single booking",
            hint: "When another council books some of your hours in a week, the rest of that week is no longer offered.",
            checked: plan.single_booking,
          },
        ],
      })}
      ${button("Add weeks")}
    </form>
  </div>
</div>`;
}

function readPlan(form: HTMLFormElement): PlanValues {
  return {
    from_week: formText(form, "from_week"),
    weeks: formText(form, "weeks"),
    hours: formText(form, "hours"),
    single_booking: formValues(form, "single_booking").includes("yes"),
  };
}

function draw(view: View, state: AvailabilityState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(availabilityContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#plan-form"), (form) => addRun(view, state, readPlan(form)));
}

export function calendarPath(from: string | null): string {
  return from ? `/officers/me/availability?from=${from}&to=${addWeeks(from, CALENDAR_WEEKS - 1)}` : "/officers/me/availability";
}

async function loadWeeks(view: View, from: string | null): Promise<Week[]> {
  const page = await api.get<ListPage<Week>>(calendarPath(from), { signal: view.signal });
  return page.items;
}

/** "3 hours a week listed for 12 weeks" and what happens next. */
export function planBanner(body: PlanBody, rows: readonly Availability[]): BannerOptions {
  const first = rows[0]?.week ?? body.from_week;
  const last = rows[rows.length - 1]?.week ?? first;
  const approved = rows.filter((row) => row.status === "approved").length;
  const count = rows.length || body.weeks;
  const span = count === 1 ? weekLabel(first) : `${weekLabel(first)}, to ${weekLabel(last)}`;
  let next: string;
  if (approved === count) next = "A standing permission from your manager approved them: other councils can book them now.";
  else if (approved === 0) next = "They are waiting for sign-off by your manager.";
  else next = `${approved} of the weeks were approved by a standing permission; the others are waiting for sign-off by your manager.`;
  return {
    heading: `${hoursText(body.hours)} a week listed for ${count} ${count === 1 ? "week" : "weeks"}`,
    text: `From ${span}. ${next}`,
    success: true,
  };
}

async function addRun(view: View, state: AvailabilityState, plan: PlanValues): Promise<void> {
  const { errors, body } = validatePlan(plan);
  if (!body) {
    draw(view, { ...state, plan, errors, banner: null });
    return;
  }
  let rows: Availability[];
  try {
    rows = (await api.post<ListPage<Availability>>("/officers/me/availability/plan", body, { signal: view.signal })).items;
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, plan, errors: hoursErrors(problem, PLAN_FIELDS, "plan-hours"), banner: null });
    return;
  }
  let weeks = state.weeks;
  try {
    weeks = await loadWeeks(view, state.from);
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (!view.isCurrent()) return;
  draw(view, {
    ...state,
    weeks,
    plan: { from_week: "", weeks: "", hours: "", single_booking: false },
    errors: noErrors(),
    banner: planBanner(body, rows),
  });
}

export const availabilityPage: Page = {
  path: "/availability",
  title: TITLE,
  access: "signed-in",
  roles: ["officer"],
  nav: { label: "Your availability", order: 20 },
  async render(view) {
    const asked = view.query.get("from");
    const from = isWeek(asked) ? asked : null;
    const [weeks, officer] = await Promise.all([
      loadWeeks(view, from),
      api.get<Officer>("/officers/me", { signal: view.signal }),
    ]);
    draw(view, {
      weeks,
      officer,
      currentWeek: view.me?.current_week ?? "",
      from,
      plan: { from_week: "", weeks: "", hours: "", single_booking: false },
      errors: noErrors(),
      banner: takeFlash(),
    });
  },
};
