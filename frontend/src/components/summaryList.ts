import { html, type Interpolation, type SafeHtml } from "./escape";

export interface SummaryRow {
  key: string;
  value: Interpolation;
}

export function summaryList(rows: readonly SummaryRow[], options: { noBorder?: boolean } = {}): SafeHtml {
  return html`<dl class="govuk-summary-list${options.noBorder ? " govuk-summary-list--no-border" : ""}">
  ${rows.map(
    (row) => html`<div class="govuk-summary-list__row">
    <dt class="govuk-summary-list__key">${row.key}</dt>
    <dd class="govuk-summary-list__value">${row.value}</dd>
  </div>`,
  )}
</dl>`;
}
