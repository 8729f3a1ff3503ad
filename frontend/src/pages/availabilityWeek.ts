// One week of the officer's availability: change the hours (PUT), then back to "Your
// availability" with a success banner. Withdrawing them is checked and confirmed on its own page
// (availabilityWithdraw.ts).
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, noErrors, type FormErrors } from "../components/formErrors";
import { button, checkboxes, formText, formValues, textInput } from "../components/forms";
import { submitGuard } from "../components/submit";
import { statusTag } from "../components/statusTag";
import { summaryList } from "../components/summaryList";
import { formatDay } from "../format";
import { formatHours, hoursText, parseHours } from "../numbers";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import type { Availability, ListPage, Week } from "../models";
import { isWeek, weekLabel } from "../weeks";
import { hoursErrors } from "./availability";

const TITLE = "Change your hours";
const FIELDS: Record<string, string> = { hours: "hours", single_booking: "single_booking" };

export interface WeekValues {
  hours: string;
  single_booking: boolean;
}

interface WeekState {
  week: Week;
  values: WeekValues;
  errors: FormErrors;
}

export function weekValues(week: Week): WeekValues {
  return { hours: week.hours > 0 ? formatHours(week.hours) : "", single_booking: week.single_booking };
}

/** Whether there is anything to withdraw: hours offered beyond those booked. */
export function canWithdraw(week: Week): boolean {
  return week.id !== null && week.hours > week.booked_hours;
}

function details(week: Week): SafeHtml {
  return summaryList([
    { key: "Status", value: statusTag(week.status) },
    { key: "Hours offered", value: hoursText(week.hours) },
    { key: "Approved", value: hoursText(week.approved_hours) },
    { key: "Waiting for sign-off", value: hoursText(week.pending_hours) },
    { key: "Booked", value: hoursText(week.booked_hours) },
    { key: "Working days", value: String(week.working_days) },
    ...(week.bank_holidays.length
      ? [{ key: "Bank holidays", value: html`${week.bank_holidays.map((day) => html`<span class="tp-week-note">${day.name}, ${formatDay(day.date)}</span>`)}` }]
      : []),
    ...(week.reject_reason ? [{ key: "Reason for not approving", value: week.reject_reason }] : []),
  ]);
}

export function weekContent(state: WeekState): SafeHtml {
  const { week, values, errors } = state;
  const label = weekLabel(week.week);
  if (week.started) {
    return html`<a href="/availability" class="govuk-back-link">Back to your availability</a>
<span class="govuk-caption-l">Your availability</span>
<h1 class="govuk-heading-l">${label}</h1>
${details(week)}
<p class="govuk-body">This week has started, so its hours can no longer be changed.</p>`;
  }
  return html`<a href="/availability" class="govuk-back-link">Back to your availability</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Your availability</span>
    <h1 class="govuk-heading-l">${label}</h1>
    ${details(week)}
    <h2 class="govuk-heading-m">${week.id && week.hours > 0 ? "Change the hours" : "List hours"}</h2>
    <form method="post" action="/availability/${week.week}" novalidate id="week-form">
      ${textInput({
        id: "hours",
        label: "Hours you can offer this week",
        hint: "In quarter hours, for example 7.5 for 7 hours 30 minutes. More hours than approved need your manager's sign-off.",
        inputmode: "decimal",
        inputClass: "govuk-input--width-4",
        spellcheck: false,
        autocomplete: "off",
        suffix: "hours",
        value: values.hours,
        error: errors.fields.hours,
      })}
      ${checkboxes({
        idPrefix: "single_booking-group",
        name: "single_booking",
        legend: "Bookings",
        legendSize: "s",
        error: errors.fields.single_booking,
        items: [
          {
            id: "single_booking",
            value: "yes",
            text: "Single booking",
            hint: "When another council books some of your hours this week, the rest of the week is no longer offered.",
            checked: values.single_booking,
          },
        ],
      })}
      ${button("Save hours")}
    </form>
    ${
      canWithdraw(week)
        ? html`<h2 class="govuk-heading-m">Withdraw this week</h2>
    <p class="govuk-body">${week.booked_hours > 0 ? html`The ${hoursText(week.booked_hours)} already booked stay booked; the rest is no longer offered.` : "Other councils will no longer be able to book you this week."}</p>
    <p class="govuk-body"><a class="govuk-link" href="/availability/${week.week}/withdraw" id="withdraw-link">Withdraw hours<span class="govuk-visually-hidden"> for ${label}</span></a></p>`
        : ""
    }
  </div>
</div>`;
}

function draw(view: View, state: WeekState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(weekContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#week-form"), (form) =>
    save(view, state, { hours: formText(form, "hours"), single_booking: formValues(form, "single_booking").includes("yes") }),
  );
}

async function save(view: View, state: WeekState, values: WeekValues): Promise<void> {
  const hours = parseHours(values.hours, { empty: "Enter the hours you can offer this week", name: "Hours" });
  if (!hours.ok) {
    draw(view, { ...state, values, errors: { summary: [{ text: hours.error, href: "#hours" }], fields: { hours: hours.error } } });
    return;
  }
  let saved: Availability;
  try {
    saved = await api.put<Availability>(
      `/officers/me/availability/${seg(state.week.week)}`,
      { hours: hours.value, single_booking: values.single_booking },
      { signal: view.signal },
    );
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, values, errors: hoursErrors(problem, FIELDS, "hours") });
    return;
  }
  const what = saved.status === "pending" ? "They are waiting for sign-off by your manager." : "Other councils can book them.";
  setFlash({ heading: `${weekLabel(saved.week)}: ${hoursText(saved.hours)} offered`, text: what, success: true });
  view.navigate("/availability");
}

/** The officer's week from their calendar; 404 when the address names no week. */
export async function loadWeek(view: View): Promise<Week> {
  const week = view.params.week ?? "";
  if (!isWeek(week)) throw new ProblemError(404);
  const page = await api.get<ListPage<Week>>(`/officers/me/availability?from=${seg(week)}&to=${seg(week)}`, { signal: view.signal });
  const found = page.items[0];
  if (!found) throw new ProblemError(404);
  return found;
}

export const availabilityWeekPage: Page = {
  path: "/availability/:week",
  title: TITLE,
  access: "signed-in",
  roles: ["officer"],
  async render(view) {
    const found = await loadWeek(view);
    draw(view, { week: found, values: weekValues(found), errors: noErrors() });
  },
};
