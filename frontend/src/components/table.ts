import { html, type Interpolation, type SafeHtml } from "./escape";

export interface TableOptions {
  id: string;
  caption: string;
  captionSize?: "s" | "m" | "l";
  head: readonly string[];
  rows: readonly (readonly Interpolation[])[];
  /** Shown instead of the table when there are no rows. */
  empty?: string;
  /** The heading level of the caption when the table is empty (default 2). */
  level?: 2 | 3;
}

/**
 * GOV.UK table inside a region that scrolls sideways on narrow screens (so the page itself never
 * does); the region can be focused so keyboard users can scroll it too.
 */
export function table(o: TableOptions): SafeHtml {
  const size = o.captionSize ?? "m";
  if (o.rows.length === 0 && o.empty) {
    const heading = o.level === 3
      ? html`<h3 class="govuk-heading-${size}" id="${o.id}-caption">${o.caption}</h3>`
      : html`<h2 class="govuk-heading-${size}" id="${o.id}-caption">${o.caption}</h2>`;
    return html`${heading}
<p class="govuk-body">${o.empty}</p>`;
  }
  return html`<div class="tp-table-scroll" role="region" aria-labelledby="${o.id}-caption" tabindex="0">
<table class="govuk-table" id="${o.id}">
  <caption class="govuk-table__caption govuk-table__caption--${size}" id="${o.id}-caption">${o.caption}</caption>
  <thead class="govuk-table__head">
    <tr class="govuk-table__row">${o.head.map((cell) => html`<th scope="col" class="govuk-table__header">${cell}</th>`)}</tr>
  </thead>
  <tbody class="govuk-table__body">
    ${o.rows.map((row) => html`<tr class="govuk-table__row">${row.map((cell) => html`<td class="govuk-table__cell">${cell}</td>`)}</tr>`)}
  </tbody>
</table>
</div>`;
}
