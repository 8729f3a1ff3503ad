// Check and confirm before issuing a draft invoice (POST /invoices/{id}/issue): an issued
// invoice is numbered, sent and can never change, so the page says to whom, for how much, and
// the number it will take (the draft's `next_number`), before the finance officer issues it.
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { formatDay, formatPence, joinWords } from "../format";
import type { Invoice } from "../models";
import type { Page, View } from "../page";
import { safeNextPath } from "../router";
import { setFlash } from "../session";
import { INVOICE_ROLES, invoiceName, isIssuer, periodLabel, vatLabel } from "./invoicing";

const TITLE = "Check the invoice before you issue it";

interface IssueState {
  invoice: Invoice;
  /** Where to go afterwards (the run page or the invoice's page). */
  back: string;
  errors: FormErrors;
}

/** "It will be numbered WBK-2027-000004", or the plain rule when the API does not say. */
export function numberText(invoice: Pick<Invoice, "next_number">): string {
  return invoice.next_number ?? "The next number in your council's sequence of invoice numbers";
}

function officers(invoice: Invoice): string {
  return joinWords([...new Set(invoice.lines.map((line) => line.officer))]);
}

export function issueContent(state: IssueState, issuer: boolean): SafeHtml {
  const { invoice, back, errors } = state;
  const lines = invoice.lines.length;
  const open = issuer && invoice.status === "draft";
  return html`<a href="${back}" class="govuk-back-link">Back</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">To ${invoice.customer.name}</span>
    <h1 class="govuk-heading-l">${TITLE}</h1>
    ${summaryList([
      { key: "Number it will take", value: html`<strong id="next-number">${numberText(invoice)}</strong>` },
      { key: "To", value: invoice.customer.name },
      { key: "Period", value: periodLabel(invoice.period) },
      { key: "Lines", value: `${lines} ${lines === 1 ? "line" : "lines"}: ${officers(invoice)}` },
      { key: "Net", value: formatPence(invoice.net_pence) },
      { key: vatLabel(invoice), value: formatPence(invoice.vat_pence) },
      { key: "Gross", value: html`<span id="issue-gross">${formatPence(invoice.gross_pence)}</span>` },
    ])}
    ${
      open
        ? html`<div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
      <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> Once issued, the invoice is sent to ${invoice.customer.name} and can never be changed or deleted. Mistakes are put right with a credit note.</strong>
    </div>
    <form method="post" action="/invoices/${invoice.id}/issue" novalidate id="issue-form">
      <div class="govuk-button-group">
        ${button(invoice.next_number ? `Issue invoice ${invoice.next_number}` : "Issue invoice")}
        <a class="govuk-link" href="${back}">Do not issue it yet</a>
      </div>
    </form>`
        : html`<p class="govuk-body" id="not-draft">${
            invoice.status === "draft" ? "Only the finance team of the council that sends it can issue this invoice." : `This invoice has been issued already, as ${invoiceName(invoice)}.`
          }</p>
    <p class="govuk-body"><a class="govuk-link" href="/invoices/${invoice.id}">View the invoice</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, state: IssueState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(issueContent(state, isIssuer(view.me, state.invoice)));
  submitGuard()(main?.querySelector<HTMLFormElement>("#issue-form"), () => issue(view, state));
}

async function issue(view: View, state: IssueState): Promise<void> {
  let issued: Invoice;
  try {
    issued = await api.post<Invoice>(`/invoices/${seg(state.invoice.id)}/issue`, undefined, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, errors: errorsFromProblem(problem, {}) });
    return;
  }
  setFlash({
    heading: `Invoice ${invoiceName(issued)} issued to ${issued.customer.name}`,
    text: issued.due_date ? `It is due on ${formatDay(issued.due_date)}.` : undefined,
    success: true,
  });
  view.navigate(state.back);
}

/** The invoice the address names; 404 when it is not an id at all. */
export async function fetchInvoice(view: View): Promise<Invoice> {
  try {
    return await api.get<Invoice>(`/invoices/${seg(view.params.id ?? "")}`, { signal: view.signal });
  } catch (error) {
    // Not an id at all (422): as good as not found.
    if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
    throw error;
  }
}

export const invoiceIssuePage: Page = {
  path: "/invoices/:id/issue",
  title: TITLE,
  access: "signed-in",
  roles: INVOICE_ROLES,
  async render(view) {
    const invoice = await fetchInvoice(view);
    const asked = view.query.get("back");
    const back = asked && asked.startsWith("/invoices") ? safeNextPath(asked) : `/invoices/${invoice.id}`;
    draw(view, { invoice, back, errors: noErrors() });
  },
};
