// The public "Pool statistics" page: the latest open data, with the same charts and tables as
// the files, no sign-in needed.
import { api } from "../../api";
import { html, type SafeHtml } from "../../components/escape";
import { table } from "../../components/table";
import type { Page } from "../../page";
import { barChart } from "./chart";
import { monthLabel } from "./dashboard";
import type { OpenData, OpenDataRow } from "./valueTypes";

const TITLE = "Pool statistics";

function figure(value: number | null, unit = ""): string {
  return value === null ? "[c]" : `${value.toLocaleString("en-GB", { maximumFractionDigits: 2 })}${unit}`;
}

function pounds(value: number | null): string {
  return value === null ? "[c]" : `£${value.toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function latestMonth(data: OpenData): string | null {
  const months = data.rows.map((r) => r.month).sort();
  return months.length ? (months[months.length - 1] ?? null) : null;
}

function breakdown(id: string, caption: string, rows: readonly OpenDataRow[]): SafeHtml {
  return table({
    id,
    caption,
    captionSize: "s",
    head: ["", "Bookings", "Hours", "Estimated savings"],
    rows: rows.map((r) => [r.value, figure(r.bookings), figure(r.hours), pounds(r.estimated_savings_gbp)]),
    empty: "No bookings.",
  });
}

export function poolStatisticsContent(data: OpenData): SafeHtml {
  const all = data.months.map((m) => data.rows.find((r) => r.month === m && r.dimension === "all") ?? null);
  const latest = latestMonth(data);
  const of = (dimension: OpenDataRow["dimension"]) => data.rows.filter((r) => r.month === latest && r.dimension === dimension);
  return html`<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">How much time councils lent each other through the Talent Pool, month by month: completed bookings, hours, estimated savings against market rates, and how many councils lent and borrowed. No person and no council is named. Any figure resting on fewer than ${data.suppression_threshold} bookings is shown as [c] (confidential), as the Office for National Statistics does.</p>
${barChart({
  id: "pool-hours",
  title: "Hours lent each month",
  description: `Hours lent through the pool per month: ${data.months.map((m, i) => `${monthLabel(m)} ${figure(all[i]?.hours ?? null, " h")}`).join("; ")}. [c] means fewer than ${data.suppression_threshold} bookings.`,
  labels: data.months.map(monthLabel),
  series: [{ name: "Hours", values: all.map((r) => r?.hours ?? 0), tone: "a" }],
  format: (v) => `${v.toLocaleString("en-GB", { maximumFractionDigits: 2 })} h`,
  tableHead: ["Month", "Hours"],
  csvHref: "/api/v1/open-data/monthly.csv",
})}
${table({
  id: "pool-months",
  caption: "Every month",
  head: ["Month", "Bookings", "Hours", "Estimated savings", "Councils lending", "Councils borrowing"],
  rows: data.months.map((m, i) => {
    const r = all[i] ?? null;
    return [monthLabel(m), r ? figure(r.bookings) : "0", r ? figure(r.hours) : "0", r ? pounds(r.estimated_savings_gbp) : "£0.00", r ? figure(r.councils_lending) : "0", r ? figure(r.councils_borrowing) : "0"];
  }),
})}
${latest ? html`<h2 class="govuk-heading-m">${monthLabel(latest)} in detail</h2>
${breakdown("pool-families", "By skill family", of("skill_family"))}
${breakdown("pool-nations", "By nation", of("nation"))}
${breakdown("pool-regions", "By region", of("region"))}` : ""}
<h2 class="govuk-heading-m">Use the data</h2>
<ul class="govuk-list">
<li><a class="govuk-link" href="/api/v1/open-data/monthly.csv" download>Monthly statistics (CSV)</a></li>
<li><a class="govuk-link" href="/api/v1/open-data/monthly.json">Monthly statistics (JSON)</a></li>
<li><a class="govuk-link" href="/api/v1/open-data/dictionary.json">Data dictionary (JSON)</a></li>
</ul>
<p class="govuk-body">Published under the <a class="govuk-link" href="${data.licence_url}" rel="license">${data.licence}</a>. Estimated savings are estimates: the market cost of the same hours at a published day rate, minus the recharge, only where a sourced rate is known.</p>`;
}

export const poolStatisticsPage: Page = {
  path: "/pool-statistics",
  title: TITLE,
  access: "public",
  async render(view) {
    const data = await api.get<OpenData>("/open-data/monthly.json", { signal: view.signal });
    view.show(poolStatisticsContent(data));
  },
};
