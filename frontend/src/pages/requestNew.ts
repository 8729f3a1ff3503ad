// "Ask for help": a booker posts a request for help (POST /requests): the work, the skills,
// the weeks and hours a week, the most they will pay, a closing date, and a purchase order
// number when their council needs one. Officers whose skills match (and their managers) are told.
import { ProblemError, api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { button, dateInput, formDate, formText, formValues, parseDateParts, select, textInput, textarea, type DateParts } from "../components/forms";
import { skillsField } from "../components/skills";
import { submitGuard } from "../components/submit";
import { IdempotentForm } from "../idempotency";
import { parseHours, parsePounds } from "../numbers";
import type { HelpRequest, ListPage, Skill } from "../models";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import { firstOpenWeek, weekLabel, weekRange } from "../weeks";

export const FIELDS: Record<string, string> = {
  title: "title",
  description: "description",
  skills: "skills",
  from_week: "from_week",
  to_week: "to_week",
  hours_per_week: "hours_per_week",
  max_rate_pence: "max_rate",
  closes_on: "closes_on-day",
  purchase_order: "purchase_order",
};

export interface RequestValues {
  title: string;
  description: string;
  skills: string[];
  from_week: string;
  to_week: string;
  hours_per_week: string;
  max_rate: string;
  closes_on: DateParts;
  purchase_order: string;
}

export interface RequestBody {
  title: string;
  description: string;
  skills: string[];
  from_week: string;
  to_week: string;
  hours_per_week: number;
  max_rate_pence?: number;
  closes_on: string;
  purchase_order?: string;
}

export function validateRequest(v: RequestValues, poRequired: boolean): { errors: FormErrors; body: RequestBody | null } {
  const errors = noErrors();
  if (!v.title) addFieldError(errors, "title", "Enter a title");
  if (!v.description) addFieldError(errors, "description", "Describe the work");
  if (v.skills.length === 0) addFieldError(errors, "skills", "Choose at least one skill");
  if (v.skills.length > 10) addFieldError(errors, "skills", "Choose 10 skills or fewer");
  if (!v.from_week) addFieldError(errors, "from_week", "Select the first week");
  if (!v.to_week) addFieldError(errors, "to_week", "Select the last week");
  else if (v.from_week && v.to_week < v.from_week) addFieldError(errors, "to_week", "The last week must be the same as or after the first week");
  const hours = parseHours(v.hours_per_week, { empty: "Enter the hours a week", name: "Hours a week" });
  if (!hours.ok) addFieldError(errors, "hours_per_week", hours.error);
  const rate = v.max_rate ? parsePounds(v.max_rate, "Maximum rate") : null;
  if (rate && !rate.ok) addFieldError(errors, "max_rate", rate.error);
  const closes = parseDateParts(v.closes_on, "The closing date");
  if (!closes.ok) addFieldError(errors, "closes_on-day", closes.error);
  if (poRequired && !v.purchase_order) addFieldError(errors, "purchase_order", "Enter your council's purchase order number");
  if (hasErrors(errors) || !hours.ok || !closes.ok) return { errors, body: null };
  const body: RequestBody = { title: v.title, description: v.description, skills: v.skills, from_week: v.from_week, to_week: v.to_week, hours_per_week: hours.value, closes_on: closes.value };
  if (rate?.ok) body.max_rate_pence = rate.value;
  if (v.purchase_order) body.purchase_order = v.purchase_order;
  return { errors, body };
}

interface State {
  skills: Skill[];
  currentWeek: string;
  poRequired: boolean;
  values: RequestValues;
  errors: FormErrors;
  submission: IdempotentForm;
}

function weekSelect(id: string, label: string, state: State, value: string, error?: string): SafeHtml {
  const weeks = weekRange(firstOpenWeek(state.currentWeek), 52);
  return select({ id, label, items: [{ value: "", text: "Select a week" }, ...weeks.map((w) => ({ value: w, text: weekLabel(w) }))], value, error });
}

function content(state: State): SafeHtml {
  const { values: v, errors: e } = state;
  return html`<a href="/requests" class="govuk-back-link">Back to requests for help</a>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(e.summary)}
  <h1 class="govuk-heading-l">Ask for help</h1>
  <p class="govuk-body">Officers at other councils whose skills match, and their managers, are told. They offer weeks and hours; you compare the offers and accept one or more.</p>
  <form method="post" action="/requests/new" novalidate id="request-form">
    ${textInput({ id: "title", label: "Title", labelClass: "govuk-label--s", hint: "For example, Planning officer to clear a backlog", maxlength: 200, value: v.title, error: e.fields.title })}
    ${textarea({ id: "description", label: "The work", labelClass: "govuk-label--s", hint: "What needs doing, where, and anything an officer should know.", value: v.description, error: e.fields.description, rows: 6, maxlength: 4000 })}
    ${skillsField({ name: "skills", legend: "Skills needed", hint: "Officers with any of them are told.", skills: state.skills, chosen: v.skills, error: e.fields.skills })}
    ${weekSelect("from_week", "First week", state, v.from_week, e.fields.from_week)}
    ${weekSelect("to_week", "Last week", state, v.to_week, e.fields.to_week)}
    ${textInput({ id: "hours_per_week", label: "Hours a week", labelClass: "govuk-label--s", hint: "In quarter hours, for example 7.5", inputmode: "decimal", inputClass: "govuk-input--width-4", suffix: "hours", spellcheck: false, autocomplete: "off", value: v.hours_per_week, error: e.fields.hours_per_week })}
    ${textInput({ id: "max_rate", label: "Most you will pay per hour (optional)", labelClass: "govuk-label--s", hint: "In pounds, before VAT", inputmode: "decimal", inputClass: "govuk-input--width-5", prefix: "£", spellcheck: false, autocomplete: "off", value: v.max_rate, error: e.fields.max_rate })}
    ${dateInput({ id: "closes_on", legend: "Closing date for offers", hint: "For example, 4 12 2026. Offers can be made until the end of this day.", value: v.closes_on, error: e.fields["closes_on-day"] })}
    ${textInput({ id: "purchase_order", label: state.poRequired ? "Purchase order number" : "Purchase order number (optional)", labelClass: "govuk-label--s", hint: "Printed on the bookings' invoices.", inputClass: "govuk-input--width-20", spellcheck: false, autocomplete: "off", maxlength: 60, value: v.purchase_order, error: e.fields.purchase_order })}
    ${button("Post request for help")}
  </form>
</div></div>`;
}

function read(form: HTMLFormElement): RequestValues {
  return {
    title: formText(form, "title"),
    description: formText(form, "description"),
    skills: formValues(form, "skills"),
    from_week: formText(form, "from_week"),
    to_week: formText(form, "to_week"),
    hours_per_week: formText(form, "hours_per_week"),
    max_rate: formText(form, "max_rate"),
    closes_on: formDate(form, "closes_on"),
    purchase_order: formText(form, "purchase_order"),
  };
}

function draw(view: View, state: State): void {
  view.setTitle(errorTitle("Ask for help", state.errors));
  const main = view.show(content(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#request-form"), (form) => send(view, state, read(form)));
}

async function send(view: View, state: State, values: RequestValues): Promise<void> {
  const { errors, body } = validateRequest(values, state.poRequired);
  if (!body) return draw(view, { ...state, values, errors });
  let made: HelpRequest;
  try {
    made = await api.post<HelpRequest>("/requests", body, { signal: view.signal, headers: { "Idempotency-Key": state.submission.keyFor(body) } });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    if (problem.status !== 0) state.submission.answered();
    return draw(view, { ...state, values, errors: errorsFromProblem(problem, FIELDS) });
  }
  state.submission.answered();
  setFlash({ heading: "Request for help posted", text: "Officers whose skills match, and their managers, have been told.", success: true });
  view.navigate(`/requests/${made.id}`);
}

export const requestNewPage: Page = {
  path: "/requests/new",
  title: "Ask for help",
  access: "signed-in",
  roles: ["booker"],
  async render(view) {
    const skills = await api.get<ListPage<Skill>>("/skills?limit=200", { signal: view.signal });
    if (!view.me) throw new ProblemError(401);
    draw(view, {
      skills: skills.items,
      currentWeek: view.me.current_week,
      poRequired: view.me.council?.po_required ?? false,
      values: { title: "", description: "", skills: [], from_week: "", to_week: "", hours_per_week: "", max_rate: "", closes_on: { day: "", month: "", year: "" }, purchase_order: "" },
      errors: noErrors(),
      submission: new IdempotentForm(),
    });
  },
};
