// An accessible bar chart: an SVG with a title and a description, then the same figures as a
// table, and a link to download them as CSV. The SVG scales to the width it has (320 px too).
import { html, type SafeHtml } from "../../components/escape";
import { table } from "../../components/table";

export interface Series {
  name: string;
  values: readonly number[];
  /** A CSS class giving the bars their colour (tp-chart__bar--a, --b). */
  tone: "a" | "b";
}

export interface ChartOptions {
  id: string;
  title: string;
  /** A sentence that says what the chart shows, for people who cannot see it. */
  description: string;
  labels: readonly string[];
  series: readonly Series[];
  format: (value: number) => string;
  csvHref?: string;
  /** Headings of the table's columns: the label column, then one per series. */
  tableHead?: readonly string[];
}

const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 8;
const BOTTOM = 28;
const TOP = 12;

/** Bar heights in the chart's units, scaled to the largest value (0 when all are 0). */
export function barHeights(values: readonly number[], max: number, room: number): number[] {
  if (max <= 0) return values.map(() => 0);
  return values.map((v) => (v <= 0 ? 0 : Math.max(1, Math.round((v / max) * room))));
}

export function barChart(o: ChartOptions): SafeHtml {
  const room = HEIGHT - BOTTOM - TOP;
  const max = Math.max(0, ...o.series.flatMap((s) => s.values));
  const groupWidth = (WIDTH - LEFT) / Math.max(1, o.labels.length);
  const barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(1, o.series.length));
  const bars = o.series.flatMap((s, si) =>
    barHeights(s.values, max, room).map((h, i) => {
      const x = LEFT + i * groupWidth + groupWidth * 0.1 + si * barWidth;
      return html`<rect class="tp-chart__bar tp-chart__bar--${s.tone}" x="${x.toFixed(1)}" y="${(HEIGHT - BOTTOM - h).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${h}"></rect>`;
    }),
  );
  const every = Math.ceil(o.labels.length / 12);
  const ticks = o.labels.map((label, i) =>
    i % every === 0
      ? html`<text class="tp-chart__label" x="${(LEFT + i * groupWidth + groupWidth / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${label}</text>`
      : "",
  );
  const head = o.tableHead ?? ["", ...o.series.map((s) => s.name)];
  return html`<figure class="tp-chart" id="${o.id}">
<h2 class="govuk-heading-m" id="${o.id}-heading">${o.title}</h2>
<svg class="tp-chart__svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" focusable="false">
<title id="${o.id}-title">${o.title}</title>
<desc id="${o.id}-desc">${o.description}</desc>
<line class="tp-chart__axis" x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}"></line>
${bars}${ticks}
</svg>
<ul class="tp-chart__legend govuk-list" aria-hidden="true">${o.series.map((s) => html`<li><span class="tp-chart__key tp-chart__key--${s.tone}"></span>${s.name}</li>`)}</ul>
${table({
  id: `${o.id}-table`,
  caption: `${o.title}: the figures`,
  captionSize: "s",
  level: 3,
  head,
  rows: o.labels.map((label, i) => [label, ...o.series.map((s) => o.format(s.values[i] ?? 0))]),
  empty: "Nothing to show yet.",
})}
${o.csvHref ? html`<p class="govuk-body"><a class="govuk-link" href="${o.csvHref}" download>Download ${o.title.toLowerCase()} (CSV)</a></p>` : ""}
</figure>`;
}
