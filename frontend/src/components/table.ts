import { html, type Interpolation, type SafeHtml } from "./escape";

export interface TableOptions {
  id: string;
  caption: string;
  captionSize?: "s" | "m" | "l";
  head: readonly string[];
  rows: readonly (readonly Interpolation[])[];
  /** Shown instead of the table when there are no rows. */
  empty?: string;
  /** The heading level of the caption when it stands as a heading (default 2). */
  level?: 2 | 3;
  /**
   * Below the tablet breakpoint, show each row as a GOV.UK summary card instead of a table row:
   * `title` is the column that names the card, `actions` the column of links and buttons, put
   * at the card's foot. The other columns become the card's summary list, keyed by their heading.
   * Without it, a narrow table scrolls sideways inside its own box.
   */
  cards?: { title: number; actions?: number };
}

function heading(o: TableOptions, classes = ""): SafeHtml {
  const size = o.captionSize ?? "m";
  const cls = `govuk-heading-${size}${classes}`;
  return o.level === 3
    ? html`<h3 class="${cls}" id="${o.id}-caption">${o.caption}</h3>`
    : html`<h2 class="${cls}" id="${o.id}-caption">${o.caption}</h2>`;
}

function card(o: TableOptions, row: readonly Interpolation[], cards: NonNullable<TableOptions["cards"]>): SafeHtml {
  const title = row[cards.title];
  const fields = o.head
    .map((key, index) => ({ key, value: row[index], index }))
    .filter(({ index }) => index !== cards.title && index !== cards.actions);
  const actions = cards.actions === undefined ? null : row[cards.actions];
  const titleTag = o.level === 3
    ? html`<h4 class="govuk-summary-card__title">${title}</h4>`
    : html`<h3 class="govuk-summary-card__title">${title}</h3>`;
  return html`<li class="govuk-summary-card">
  <div class="govuk-summary-card__title-wrapper">${titleTag}</div>
  <div class="govuk-summary-card__content">
    <dl class="govuk-summary-list">
      ${fields.map(
        ({ key, value }) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`,
      )}
    </dl>
    ${actions === null || actions === undefined || actions === "" ? "" : html`<div class="tp-card-actions">${actions}</div>`}
  </div>
</li>`;
}

/**
 * GOV.UK table. On narrow screens it becomes summary cards (with `cards`), so that nothing a
 * person must press or read is off-screen at 320 px; otherwise it scrolls sideways inside a
 * region of its own (never the page), which keyboard users can focus to scroll.
 *
 * With `cards`, each row is drawn twice (as a row and as a card; CSS shows one of them), so a
 * cell must not carry an `id`, and scripts must wire up every copy of a control
 * (querySelectorAll).
 */
export function table(o: TableOptions): SafeHtml {
  const size = o.captionSize ?? "m";
  if (o.rows.length === 0 && o.empty) {
    return html`${heading(o)}
<p class="govuk-body">${o.empty}</p>`;
  }
  const wide = html`<div class="tp-table-scroll${o.cards ? " tp-wide-only" : ""}" role="region" aria-labelledby="${o.id}-caption" tabindex="0">
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
  const cards = o.cards;
  if (!cards) return wide;
  const narrow = { ...o, id: `${o.id}-cards` };
  return html`${wide}
<div class="tp-narrow-only">
  ${heading(narrow)}
  <ul class="govuk-list tp-card-list" id="${o.id}-cards" aria-labelledby="${o.id}-cards-caption">
    ${o.rows.map((row) => card(o, row, cards))}
  </ul>
</div>`;
}
