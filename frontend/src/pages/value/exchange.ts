// The exchange report: hours and pounds lent and borrowed per pair of councils in a date range,
// the net balance per pair and the estimated savings, with the same figures as CSV.
import { api } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, noErrors, type FormErrors } from "../../components/formErrors";
import { button, dateInput, datePartsOf, formDate, parseDateParts } from "../../components/forms";
import { table } from "../../components/table";
import { formatDate, formatPence } from "../../format";
import type { Page, View } from "../../page";
import { sourcesText } from "./dashboard";
import type { ExchangeReport } from "./valueTypes";

const TITLE = "Exchange report";
const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** The range asked for, or the 12 months up to the end of last month. */
export function exchangeRange(query: URLSearchParams, today: string): { from: string; to: string } {
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  if (ISO.test(from) && ISO.test(to)) return { from, to };
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const end = new Date(Date.UTC(year, month - 1, 0));
  const start = new Date(Date.UTC(year - 1, month - 1, 1));
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

function draw(view: View, report: ExchangeReport, range: { from: string; to: string }, errors: FormErrors): void {
  view.setTitle(errorTitle(TITLE, errors));
  const query = `from=${range.from}&to=${range.to}`;
  const main = view.show(html`${errorSummary(errors.summary)}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Completed hours of weeks starting from ${formatDate(range.from)} to ${formatDate(range.to)}, recharged amounts less credit notes${view.me?.council ? ", for the pairs your council is part of" : ""}.</p>
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Change the dates</span></summary>
<div class="govuk-details__text"><form method="get" action="/reports/exchange" novalidate id="range-form">
${dateInput({ id: "from", legend: "From", value: datePartsOf(range.from), error: errors.fields.from })}
${dateInput({ id: "to", legend: "To", value: datePartsOf(range.to), error: errors.fields.to })}
${button("Show", { secondary: true })}
</form></div></details>
${table({
  id: "exchange",
  caption: "Hours lent, per pair",
  head: ["Lent by", "Borrowed by", "Bookings", "Hours", "Recharged", "Estimated savings"],
  rows: report.items.map((r) => [
    r.lending_council.name,
    r.booking_council.name,
    String(r.bookings),
    String(r.hours),
    formatPence(r.pence),
    r.hours_with_market_rate ? formatPence(r.estimated_savings_pence) : "Not estimated",
  ]),
  cards: { title: 0 },
  empty: "No completed hours in these dates.",
})}
${table({
  id: "pairs",
  caption: "Net balance per pair",
  head: ["Councils", "Lent each way", "Net"],
  rows: report.pairs.map((p) => [
    `${p.council_a.name} and ${p.council_b.name}`,
    `${p.council_a.name} ${formatPence(p.a_lent_pence)}; ${p.council_b.name} ${formatPence(p.b_lent_pence)}`,
    p.net_pence === 0 ? "Even" : p.net_pence > 0 ? `${p.council_b.name} owes ${p.council_a.name} ${formatPence(p.net_pence)}` : `${p.council_a.name} owes ${p.council_b.name} ${formatPence(-p.net_pence)}`,
  ]),
  cards: { title: 0 },
  empty: "No pairs in these dates.",
})}
<p class="govuk-body"><strong>Total:</strong> ${String(report.total_hours)} hours, ${formatPence(report.total_pence)}; estimated savings ${formatPence(report.estimated_savings_pence)}.</p>
<p class="govuk-body">${report.estimate_label}</p>
${sourcesText(report.savings_sources)}
<p class="govuk-body"><a class="govuk-link" href="/api/v1/reports/exchange.csv?${query}" download>Download this report (CSV)</a></p>`);
  main?.querySelector<HTMLFormElement>("#range-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const found = noErrors();
    const out: Record<string, string> = {};
    for (const [key, name] of [["from", "The start date"], ["to", "The end date"]] as const) {
      const parsed = parseDateParts(formDate(form, key), name);
      if (parsed.ok) out[key] = parsed.value;
      else addFieldError(found, key, parsed.error);
    }
    if (found.summary.length) {
      draw(view, report, range, found);
      return;
    }
    view.navigate(`/reports/exchange?from=${out.from}&to=${out.to}`);
  });
}

export const exchangePage: Page = {
  path: "/reports/exchange",
  title: TITLE,
  access: "signed-in",
  async render(view) {
    const range = exchangeRange(view.query, view.me?.today ?? "2026-01-01");
    const report = await api.get<ExchangeReport>(`/reports/exchange?from=${range.from}&to=${range.to}`, { signal: view.signal });
    draw(view, report, range, noErrors());
  },
};
