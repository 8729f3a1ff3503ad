import { html, type SafeHtml } from "./escape";

export interface ErrorItem {
  text: string;
  /** "#field-id" of the field to fix; omitted for errors that belong to no field. */
  href?: string;
}

/**
 * GOV.UK error summary. Its JavaScript (initComponents) moves focus to it when it is shown and
 * makes its links focus the fields they name.
 */
export function errorSummary(items: readonly ErrorItem[], title = "There is a problem"): SafeHtml {
  if (items.length === 0) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
  <div role="alert">
    <h2 class="govuk-error-summary__title">${title}</h2>
    <div class="govuk-error-summary__body">
      <ul class="govuk-list govuk-error-summary__list">
        ${items.map((item) =>
          item.href
            ? html`<li><a href="${item.href}">${item.text}</a></li>`
            : html`<li>${item.text}</li>`,
        )}
      </ul>
    </div>
  </div>
</div>`;
}
