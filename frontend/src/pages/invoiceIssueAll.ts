// Check and confirm before issuing every draft of a month's recharge run: the customers, the
// amounts and the numbers the invoices will take, then one POST /invoices/{id}/issue after another.
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorTitle, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { table } from "../components/table";
import { formatPence } from "../format";
import type { Invoice } from "../models";
import type { Page, View } from "../page";
import { setFlash } from "../session";
import { INVOICE_ROLES, isPeriod, nextNumbers, periodLabel } from "./invoicing";
import { issueAllOutcome, monthInvoices, runPath } from "./invoiceRun";

const TITLE = "Check the invoices before you issue them";

interface IssueAllState {
  period: string;
  drafts: Invoice[];
  errors: FormErrors;
  banner: BannerOptions | null;
}

export function issueAllContent(state: IssueAllState): SafeHtml {
  const { period, drafts, errors } = state;
  const numbers = nextNumbers(drafts[0]?.next_number, drafts.length);
  const back = runPath(period);
  return html`<a href="${back}" class="govuk-back-link">Back</a>
${errorSummary(errors.summary)}
${state.banner ? notificationBanner(state.banner) : ""}
<span class="govuk-caption-l">Recharge run for ${periodLabel(period)}</span>
<h1 class="govuk-heading-l">${TITLE}</h1>
${
  drafts.length === 0
    ? html`<p class="govuk-body" id="no-drafts">There are no drafts of ${periodLabel(period)} left to issue.</p>
<p class="govuk-body"><a class="govuk-link" href="${back}">Back to the recharge run</a></p>`
    : html`${table({
        id: "to-issue",
        caption: `${drafts.length} ${drafts.length === 1 ? "invoice" : "invoices"} to issue`,
        head: numbers.length ? ["Customer", "Gross", "Number it will take"] : ["Customer", "Gross"],
        rows: drafts.map((invoice, i) => {
          const row = [invoice.customer.name, formatPence(invoice.gross_pence)];
          return numbers.length ? [...row, numbers[i] ?? ""] : row;
        }),
        cards: { title: 0 },
      })}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${numbers.length ? "" : html`<p class="govuk-body">They take the next numbers in your council's sequence of invoice numbers, in this order.</p>`}
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
      <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> Once issued, each invoice is sent to its council and can never be changed or deleted. Mistakes are put right with credit notes.</strong>
    </div>
    <form method="post" action="/invoices/issue-all" novalidate id="issue-all-form">
      <div class="govuk-button-group">
        ${button(`Issue ${drafts.length} ${drafts.length === 1 ? "invoice" : "invoices"}`)}
        <a class="govuk-link" href="${back}">Do not issue them yet</a>
      </div>
    </form>
  </div>
</div>`
}`;
}

function draw(view: View, state: IssueAllState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(issueAllContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#issue-all-form"), () => issueAll(view, state));
}

async function issueAll(view: View, state: IssueAllState): Promise<void> {
  const issued: Invoice[] = [];
  const failed: { invoice: Invoice; message: string }[] = [];
  for (const draft of state.drafts) {
    try {
      issued.push(await api.post<Invoice>(`/invoices/${seg(draft.id)}/issue`, undefined, { signal: view.signal }));
    } catch (error) {
      const problem = toProblem(error);
      if (!problem) return; // the person moved on
      failed.push({ invoice: draft, message: problem.detail || problem.title });
    }
  }
  if (!view.isCurrent()) return;
  const outcome = issueAllOutcome(issued, failed);
  if (failed.length === 0) {
    if (outcome.banner) setFlash(outcome.banner);
    view.navigate(runPath(state.period));
    return;
  }
  let drafts = state.drafts;
  try {
    drafts = (await monthInvoices(view, state.period)).filter((invoice) => invoice.status === "draft");
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (!view.isCurrent()) return;
  draw(view, { ...state, drafts, banner: outcome.banner, errors: { summary: outcome.errors, fields: {} } });
}

export const invoiceIssueAllPage: Page = {
  path: "/invoices/issue-all",
  title: TITLE,
  access: "signed-in",
  roles: INVOICE_ROLES,
  async render(view) {
    const period = view.query.get("period");
    if (!isPeriod(period)) throw new ProblemError(404);
    const drafts = (await monthInvoices(view, period)).filter((invoice) => invoice.status === "draft");
    draw(view, { period, drafts, errors: noErrors(), banner: null });
  },
};
