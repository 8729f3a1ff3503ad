// Market rates: the published day rates savings are estimated from, each with its source and
// date. Platform admins edit them; every change is kept. A row without a figure gives no savings.
import { api, seg, toProblem } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../../components/formErrors";
import { button, dateInput, datePartsOf, formDate, formText, parseDateParts, textarea, textInput, type DateParts } from "../../components/forms";
import { submitGuard } from "../../components/submit";
import { table } from "../../components/table";
import { formatDate, formatDateTime, formatPence } from "../../format";
import { parsePounds, penceToPounds } from "../../numbers";
import type { Page, View } from "../../page";
import type { MarketRate, MarketRateChange, MarketRateList } from "./valueTypes";

const TITLE = "Market rates";

export function rateHref(rate: Pick<MarketRate, "skill_family" | "skill_slug">): string {
  const query = new URLSearchParams({ family: rate.skill_family });
  if (rate.skill_slug) query.set("skill", rate.skill_slug);
  return `/market-rates/edit?${query.toString()}`;
}

export const marketRatesPage: Page = {
  path: "/market-rates",
  title: TITLE,
  access: "signed-in",
  async render(view) {
    const list = await api.get<MarketRateList>("/market-rates", { signal: view.signal });
    const admin = view.me?.is_platform_admin ?? false;
    view.show(html`<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">${list.estimate_label} Each figure is a published day rate, with its source and date. Where no figure with a source has been found, the row stays empty and no savings are shown for it.</p>
${table({
  id: "rates",
  caption: "Day rates by skill family",
  head: ["Skill family", "Day rate", "Source", "As of", ...(admin ? ["Change"] : [])],
  rows: list.items.map((r) => [
    r.skill_slug ? `${r.skill_family}: ${r.skill_slug}` : r.skill_family,
    r.day_rate_pence === null ? "No published figure" : `${formatPence(r.day_rate_pence)} a day of ${r.hours_per_day} hours`,
    r.source,
    r.as_of ? formatDate(r.as_of) : "",
    ...(admin ? [html`<a class="govuk-link" href="${rateHref(r)}">Change<span class="govuk-visually-hidden"> ${r.skill_family}</span></a>`] : []),
  ]),
  cards: admin ? { title: 0, actions: 4 } : { title: 0 },
})}`);
  },
};

interface EditState {
  family: string;
  skill: string;
  rate: MarketRate | null;
  history: MarketRateChange[];
  values: { dayRate: string; hours: string; source: string; asOf: DateParts };
  errors: FormErrors;
}

function editContent(state: EditState): SafeHtml {
  const { values, errors } = state;
  return html`${errorSummary(errors.summary)}
<span class="govuk-caption-l">${state.family}${state.skill ? `: ${state.skill}` : ""}</span>
<h1 class="govuk-heading-l">Change the market rate</h1>
<p class="govuk-body">Enter only a figure someone published, with where and when. Leave the day rate empty to withdraw a figure: no savings are shown then.</p>
<form method="post" novalidate id="rate-form">
${textInput({ id: "day-rate", name: "day_rate", label: "Day rate in pounds (optional)", value: values.dayRate, prefix: "£", inputClass: "govuk-input--width-10", inputmode: "decimal", error: errors.fields["day-rate"] })}
${textInput({ id: "hours", label: "Hours in a working day", hint: "7.4 unless the source says otherwise", value: values.hours, inputClass: "govuk-input--width-5", inputmode: "decimal", error: errors.fields.hours })}
${textarea({ id: "source", label: "Source", hint: "Who published it, and where (a title or an address)", value: values.source, error: errors.fields.source })}
${dateInput({ id: "as-of", legend: "Date of the figure (needed with a day rate)", value: values.asOf, error: errors.fields["as-of-day"] })}
${button("Save")}
</form>
${table({
  id: "history",
  caption: "Changes",
  head: ["When", "Who", "Day rate", "Source"],
  rows: state.history.map((h) => [formatDateTime(h.changed_at), h.changed_by_name ?? "", h.day_rate_pence === null ? "No figure" : formatPence(h.day_rate_pence), h.source]),
  empty: "Not changed since it was seeded.",
})}
<p class="govuk-body"><a class="govuk-link" href="/market-rates">Back to market rates</a></p>`;
}

function draw(view: View, state: EditState): void {
  view.setTitle(errorTitle("Change the market rate", state.errors));
  const main = view.show(editContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#rate-form"), async (form) => {
    const values = { dayRate: formText(form, "day_rate"), hours: formText(form, "hours"), source: formText(form, "source"), asOf: formDate(form, "as-of") };
    const errors = noErrors();
    let dayRate: number | null = null;
    if (values.dayRate) {
      const parsed = parsePounds(values.dayRate, "The day rate");
      if (parsed.ok) dayRate = parsed.value;
      else addFieldError(errors, "day-rate", parsed.error);
    }
    const hours = Number(values.hours || "7.4");
    if (!(hours > 0 && hours <= 24)) addFieldError(errors, "hours", "Hours in a working day must be a number between 0 and 24, like 7.4");
    if (values.source.length < 3) addFieldError(errors, "source", "Enter the source of the figure");
    let asOf: string | null = null;
    if (values.asOf.day || values.asOf.month || values.asOf.year || dayRate !== null) {
      const parsed = parseDateParts(values.asOf, "The date of the figure");
      if (parsed.ok) asOf = parsed.value;
      else addFieldError(errors, "as-of-day", parsed.error);
    }
    if (errors.summary.length) {
      draw(view, { ...state, values, errors });
      return;
    }
    const query = state.skill ? `?skill=${encodeURIComponent(state.skill)}` : "";
    try {
      await api.put<MarketRate>(`/market-rates/${seg(state.family)}${query}`, { day_rate_pence: dayRate, hours_per_day: hours, source: values.source, as_of: asOf }, { signal: view.signal });
    } catch (error) {
      const problem = toProblem(error);
      if (problem && view.isCurrent()) draw(view, { ...state, values, errors: errorsFromProblem(problem, { day_rate_pence: "day-rate", hours_per_day: "hours", source: "source", as_of: "as-of-day" }) });
      return;
    }
    view.navigate("/market-rates");
  });
}

export const marketRateEditPage: Page = {
  path: "/market-rates/edit",
  title: "Change the market rate",
  access: "signed-in",
  async render(view) {
    const family = view.query.get("family") ?? "";
    const skill = view.query.get("skill") ?? "";
    const list = await api.get<MarketRateList>("/market-rates", { signal: view.signal });
    const rate = list.items.find((r) => r.skill_family === family && r.skill_slug === skill) ?? null;
    const history = rate ? await api.get<MarketRateChange[]>(`/market-rates/${seg(rate.id)}/history`, { signal: view.signal }) : [];
    draw(view, {
      family,
      skill,
      rate,
      history,
      values: {
        dayRate: rate?.day_rate_pence ? penceToPounds(rate.day_rate_pence) : "",
        hours: String(rate?.hours_per_day ?? 7.4),
        source: rate?.day_rate_pence ? rate.source : "",
        asOf: datePartsOf(rate?.as_of ?? null),
      },
      errors: noErrors(),
    });
  },
};
