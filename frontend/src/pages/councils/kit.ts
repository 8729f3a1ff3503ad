// Small pieces the council-running pages share: a guarded submit, summary cards, a back link,
// confirmation panels and tags.
import { toProblem, type ProblemError } from "../../api";
import { html, type Interpolation, type SafeHtml } from "../../components/escape";
import { errorsFromProblem, type FormErrors } from "../../components/formErrors";

/** Runs `handler` on submit, once at a time (a second press while it runs does nothing). */
export function onSubmit(root: ParentNode | null | undefined, selector: string, handler: (form: HTMLFormElement, submitter: HTMLElement | null) => Promise<void>): void {
  const form = root?.querySelector<HTMLFormElement>(selector);
  if (!form) return;
  let busy = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const submitter = (event as SubmitEvent).submitter ?? null;
    void handler(form, submitter).finally(() => {
      busy = false;
    });
  });
}

/** A failed request as form errors, or null when it was only aborted. */
export function failure(error: unknown, fields: Record<string, string>): { problem: ProblemError; errors: FormErrors } | null {
  const problem = toProblem(error);
  if (!problem) return null;
  return { problem, errors: errorsFromProblem(problem, fields) };
}

export interface CardRow {
  key: string;
  value: Interpolation;
  /** A "Change" link, with hidden text naming what it changes. */
  change?: string;
}

export function summaryCard(title: string, rows: readonly CardRow[], id?: string): SafeHtml {
  return html`<div class="govuk-summary-card"${id ? html` id="${id}"` : ""}>
  <div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title">${title}</h2></div>
  <div class="govuk-summary-card__content">${summaryRows(rows)}</div>
</div>`;
}

export function summaryRows(rows: readonly CardRow[]): SafeHtml {
  return html`<dl class="govuk-summary-list">
  ${rows.map(
    (row) => html`<div class="govuk-summary-list__row${row.change ? "" : " govuk-summary-list__row--no-actions"}">
    <dt class="govuk-summary-list__key">${row.key}</dt>
    <dd class="govuk-summary-list__value">${row.value}</dd>
    ${row.change ? html`<dd class="govuk-summary-list__actions"><a class="govuk-link" href="${row.change}">Change<span class="govuk-visually-hidden"> ${row.key.toLowerCase()}</span></a></dd>` : ""}
  </div>`,
  )}
</dl>`;
}

export function backLink(href: string, text = "Back"): SafeHtml {
  return html`<a href="${href}" class="govuk-back-link">${text}</a>`;
}

export function panel(title: string, body?: Interpolation): SafeHtml {
  return html`<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">${title}</h1>
  ${body ? html`<div class="govuk-panel__body">${body}</div>` : ""}
</div>`;
}

export function tag(text: string, colour: "green" | "grey" | "blue" | "yellow" | "red" | "purple" = "blue"): SafeHtml {
  return html`<strong class="govuk-tag govuk-tag--${colour}">${text}</strong>`;
}

/** "a, b" → ["a", "b"] (lower case, without blanks or repeats). */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((part) => part.trim().toLowerCase()).filter(Boolean))];
}

/** A link to an object's events in the audit trail (for council admins and finance). */
export function historyLink(me: { roles: readonly string[] } | null, entity: string, id: string, what: string): SafeHtml {
  if (!me || !me.roles.some((role) => role === "council_admin" || role === "finance")) return html``;
  return html`<p class="govuk-body"><a class="govuk-link" href="/audit?entity=${entity}&amp;entity_id=${id}">View ${what}'s history</a></p>`;
}
