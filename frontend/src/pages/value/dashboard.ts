// A council's dashboard: the last 12 months of lending and borrowing, the skills most lent and
// borrowed, partner councils with the balance with each, and estimated savings. Every chart has
// its figures as a table and a CSV download.
import { api } from "../../api";
import { html, type SafeHtml } from "../../components/escape";
import { table } from "../../components/table";
import { formatDate, formatPence } from "../../format";
import type { Page } from "../../page";
import { barChart } from "./chart";
import type { Dashboard, DashboardSkill, SavingsSource } from "./valueTypes";

const TITLE = "Dashboard";
const MONTHS = 12;

/** "2026-12" → "Dec 2026". */
export function monthLabel(month: string): string {
  const year = Number(month.slice(0, 4));
  const number = Number(month.slice(5, 7));
  const name = new Date(Date.UTC(year, number - 1, 1)).toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
  return `${name} ${year}`;
}

function hours(value: number): string {
  return `${value.toLocaleString("en-GB", { maximumFractionDigits: 2 })} h`;
}

/** Who owes whom, from this council's side (positive: the partner owes it). */
export function balanceText(pence: number): string {
  if (pence > 0) return `They owe you ${formatPence(pence)}`;
  if (pence < 0) return `You owe them ${formatPence(-pence)}`;
  return "Nothing owed";
}

export function sourcesText(sources: readonly SavingsSource[]): SafeHtml {
  if (!sources.length) {
    return html`<div class="govuk-inset-text">No market rate with a published source has been entered yet, so no savings are estimated. <a class="govuk-link" href="/market-rates">See the market rates</a>.</div>`;
  }
  return html`<ul class="govuk-list govuk-list--bullet">${sources.map(
    (s) => html`<li>${s.skill_family}${s.skill_slug ? ` (${s.skill_slug})` : ""}: ${formatPence(s.day_rate_pence)} a day of ${hours(s.hours_per_day)}, ${s.source}, ${formatDate(s.as_of)}</li>`,
  )}</ul>`;
}

function skillsChart(id: string, title: string, skills: readonly DashboardSkill[]): SafeHtml {
  return barChart({
    id,
    title,
    description: skills.length
      ? `Hours per skill: ${skills.map((s) => `${s.name} ${hours(s.hours)}`).join("; ")}.`
      : "No completed bookings in these months.",
    labels: skills.map((s) => s.name),
    series: [{ name: "Hours", values: skills.map((s) => s.hours), tone: "a" }],
    format: hours,
    tableHead: ["Skill", "Hours"],
    csvHref: `/api/v1/dashboard/skills.csv?months=${MONTHS}`,
  });
}

export function dashboardContent(board: Dashboard): SafeHtml {
  const labels = board.months.map((m) => monthLabel(m.month));
  const sum = (f: (m: Dashboard["months"][number]) => number): number => board.months.reduce((t, m) => t + f(m), 0);
  return html`<span class="govuk-caption-l">${board.council.name}</span>
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">The last ${MONTHS} months of hours your council lent to and borrowed from other councils. A booking counts in the month of its week's Monday; hours and pounds are those worked and recharged, less credit notes.</p>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Lent</dt><dd class="govuk-summary-list__value">${hours(sum((m) => m.lent_hours))}, ${formatPence(sum((m) => m.lent_pence))}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Borrowed</dt><dd class="govuk-summary-list__value">${hours(sum((m) => m.borrowed_hours))}, ${formatPence(sum((m) => m.borrowed_pence))}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Estimated savings on hours borrowed</dt><dd class="govuk-summary-list__value">${board.savings_sources.length ? formatPence(board.borrowed_savings_pence) : "Not estimated: no market rate"}</dd></div>
</dl>
${barChart({
  id: "hours-chart",
  title: "Hours lent and borrowed",
  description: `Hours per month, lent and borrowed: ${board.months.map((m) => `${monthLabel(m.month)} lent ${hours(m.lent_hours)}, borrowed ${hours(m.borrowed_hours)}`).join("; ")}.`,
  labels,
  series: [
    { name: "Lent", values: board.months.map((m) => m.lent_hours), tone: "a" },
    { name: "Borrowed", values: board.months.map((m) => m.borrowed_hours), tone: "b" },
  ],
  format: hours,
  tableHead: ["Month", "Hours lent", "Hours borrowed"],
  csvHref: `/api/v1/dashboard/months.csv?months=${MONTHS}`,
})}
${barChart({
  id: "money-chart",
  title: "Pounds lent and borrowed",
  description: `Recharged per month: ${board.months.map((m) => `${monthLabel(m.month)} lent ${formatPence(m.lent_pence)}, borrowed ${formatPence(m.borrowed_pence)}`).join("; ")}.`,
  labels,
  series: [
    { name: "Lent", values: board.months.map((m) => m.lent_pence), tone: "a" },
    { name: "Borrowed", values: board.months.map((m) => m.borrowed_pence), tone: "b" },
  ],
  format: formatPence,
  tableHead: ["Month", "Lent", "Borrowed"],
  csvHref: `/api/v1/dashboard/months.csv?months=${MONTHS}`,
})}
<h2 class="govuk-heading-m">Estimated savings</h2>
<p class="govuk-body">${board.estimate_label}</p>
${sourcesText(board.savings_sources)}
${board.savings_sources.length ? barChart({
  id: "savings-chart",
  title: "Estimated savings on hours borrowed",
  description: `Estimated savings per month: ${board.months.map((m) => `${monthLabel(m.month)} ${formatPence(m.borrowed_savings_pence)}`).join("; ")}.`,
  labels,
  series: [{ name: "Estimated savings", values: board.months.map((m) => Math.max(0, m.borrowed_savings_pence)), tone: "a" }],
  format: formatPence,
  tableHead: ["Month", "Estimated savings"],
  csvHref: `/api/v1/dashboard/months.csv?months=${MONTHS}`,
}) : ""}
${skillsChart("skills-lent-chart", "Skills lent most", board.skills_lent)}
${skillsChart("skills-borrowed-chart", "Skills borrowed most", board.skills_borrowed)}
${table({
  id: "partners",
  caption: "Partner councils",
  head: ["Council", "Lent", "Borrowed", "Net over these months", "Unpaid invoices, net"],
  rows: board.partners.map((p) => [
    p.council.name,
    `${hours(p.lent_hours)}, ${formatPence(p.lent_pence)}`,
    `${hours(p.borrowed_hours)}, ${formatPence(p.borrowed_pence)}`,
    formatPence(p.net_pence),
    balanceText(p.outstanding_net_pence),
  ]),
  cards: { title: 0 },
  empty: "No other council has lent to or borrowed from yours in these months.",
})}
<p class="govuk-body"><a class="govuk-link" href="/api/v1/dashboard/partners.csv?months=${MONTHS}" download>Download partner councils (CSV)</a></p>
<p class="govuk-body"><a class="govuk-link" href="/settlements">Settle the balance with a partner</a> · <a class="govuk-link" href="/reports/exchange">Exchange report</a></p>`;
}

export const dashboardPage: Page = {
  path: "/dashboard",
  title: TITLE,
  access: "signed-in",
  roles: ["council_admin", "finance", "manager"],
  nav: { label: "Dashboard", order: 55 },
  async render(view) {
    const board = await api.get<Dashboard>(`/dashboard?months=${MONTHS}`, { signal: view.signal });
    view.show(dashboardContent(board));
  },
};
