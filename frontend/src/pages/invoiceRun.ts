// "Recharge run": the lending council's finance team choose a month (last month by the server's
// clock, to start with) and preview one draft invoice per council that booked its officers
// (POST /invoice-runs; previewing again rebuilds the month's drafts), then issue them: each draft,
// or all of them, after a page that checks what will happen (invoiceIssue.ts, invoiceIssueAll.ts).
// With `?period=2027-09` the page shows that month's invoices as they are (GET /invoices).
import { api, toProblem } from "../api";
import { errorSummary, type ErrorItem } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { table } from "../components/table";
import { formatPence } from "../format";
import type { Invoice, InvoiceRun, ListPage } from "../models";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import {
  INVOICE_ROLES,
  formMonth,
  invoiceName,
  invoiceStatusTag,
  isPeriod,
  monthInput,
  monthPartsOf,
  parseMonthParts,
  periodLabel,
  previousMonth,
  type MonthParts,
} from "./invoicing";

const TITLE = "Recharge run";

interface RunState {
  month: MonthParts;
  /** The month shown, and its invoices (null before a preview). */
  period: string | null;
  drafts: Invoice[] | null;
  errors: FormErrors;
  banner: BannerOptions | null;
}

/** Where the run page shows a month's invoices (and where issuing returns to). */
export function runPath(period: string): string {
  return `/invoices/run?period=${encodeURIComponent(period)}`;
}

function actionCell(invoice: Invoice): SafeHtml {
  if (invoice.status !== "draft") return html`${invoiceStatusTag(invoice.status)} <span class="govuk-body-s tp-week-note">${invoiceName(invoice)}</span>`;
  const back = encodeURIComponent(runPath(invoice.period));
  return html`<a class="govuk-link" href="/invoices/${invoice.id}/issue?back=${back}">Issue<span class="govuk-visually-hidden"> the invoice to ${invoice.customer.name}</span></a>`;
}

function draftsSection(state: RunState): SafeHtml {
  if (state.drafts === null || state.period === null) return html``;
  const label = periodLabel(state.period);
  if (state.drafts.length === 0) {
    return html`<h2 class="govuk-heading-m" id="drafts-caption">Invoices for ${label}</h2>
<p class="govuk-body" id="no-drafts">There are no completed bookings of ${label} left to invoice.</p>`;
  }
  const waiting = state.drafts.filter((invoice) => invoice.status === "draft");
  return html`${table({
    id: "drafts",
    caption: `Invoices for ${label}`,
    head: ["Customer", "Lines", "Net", "VAT", "Gross", "Invoice"],
    rows: state.drafts.map((invoice) => [
      html`<a class="govuk-link" href="/invoices/${invoice.id}">${invoice.customer.name}</a>`,
      String(invoice.lines.length),
      formatPence(invoice.net_pence),
      formatPence(invoice.vat_pence),
      formatPence(invoice.gross_pence),
      actionCell(invoice),
    ]),
    cards: { title: 0, actions: 5 },
  })}
${
  waiting.length > 1
    ? html`<p class="govuk-body"><a href="/invoices/issue-all?period=${encodeURIComponent(state.period)}" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="issue-all-link">Issue all ${waiting.length} drafts</a></p>`
    : ""
}`;
}

export function runContent(state: RunState): SafeHtml {
  return html`<a href="/invoices" class="govuk-back-link">Back to invoices</a>
${errorSummary(state.errors.summary)}
${state.banner && state.errors.summary.length === 0 ? notificationBanner(state.banner) : ""}
<h1 class="govuk-heading-l">${TITLE}</h1>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <p class="govuk-body">Invoice other councils for the hours your officers worked for them. There is one draft for each council, with the bookings of the month that they completed and that are not yet on an invoice.</p>
    <p class="govuk-body">Nothing is sent until you issue a draft. Previewing the month again rebuilds its drafts.</p>
    <form method="post" action="/invoices/run" novalidate id="run-form">
      ${monthInput({
        id: "period",
        legend: "Month",
        legendSize: "m",
        hint: "The month the work was done, for example 9 2027. It starts on last month.",
        value: state.month,
        error: state.errors.fields["period-month"],
      })}
      ${button("Preview drafts")}
    </form>
  </div>
</div>
${draftsSection(state)}`;
}

/** What previewing a month found: a banner that counts the drafts in the right number. */
export function previewBanner(period: string, drafts: readonly Invoice[]): BannerOptions {
  const n = drafts.length;
  const month = periodLabel(period);
  if (n === 0) return { heading: `Nothing to invoice for ${month}` };
  return {
    heading: `${n} draft ${n === 1 ? "invoice" : "invoices"} for ${month}`,
    text: n === 1 ? "Check it, then issue it." : "Check them, then issue them.",
  };
}

/** What issuing several drafts did: a banner for those issued, error items for the others. */
export function issueAllOutcome(issued: Invoice[], failed: { invoice: Invoice; message: string }[]): { banner: BannerOptions | null; errors: ErrorItem[] } {
  const n = issued.length;
  const banner: BannerOptions | null =
    n > 0
      ? {
          heading: `${n} ${n === 1 ? "invoice" : "invoices"} issued`,
          text: issued.map((invoice) => `${invoiceName(invoice)} to ${invoice.customer.name}`).join(", "),
          success: true,
        }
      : null;
  const errors = failed.map(({ invoice, message }) => ({ text: `The invoice to ${invoice.customer.name} was not issued: ${message}` }));
  return { banner, errors };
}

function draw(view: View, state: RunState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(runContent(state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#run-form"), (form) => preview(view, state, formMonth(form, "period")));
}

async function preview(view: View, state: RunState, month: MonthParts): Promise<void> {
  const period = parseMonthParts(month, "The month");
  if (!period.ok) {
    const errors = noErrors();
    addFieldError(errors, "period-month", period.error);
    draw(view, { ...state, month, errors, banner: null });
    return;
  }
  let run: InvoiceRun;
  try {
    run = await api.post<InvoiceRun>("/invoice-runs", { period: period.value }, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, month, errors: errorsFromProblem(problem, { period: "period-month" }), banner: null });
    return;
  }
  draw(view, { month, period: period.value, drafts: run.invoices, errors: noErrors(), banner: previewBanner(period.value, run.invoices) });
}

/** The council's invoices of a month as they are now, drafts first. */
export async function monthInvoices(view: View, period: string): Promise<Invoice[]> {
  const query = new URLSearchParams({ direction: "outgoing", period, limit: "200" });
  const page = await api.get<ListPage<Invoice>>(`/invoices?${query}`, { signal: view.signal });
  return [...page.items].sort((a, b) => Number(b.status === "draft") - Number(a.status === "draft"));
}

export const invoiceRunPage: Page = {
  path: "/invoices/run",
  title: TITLE,
  access: "signed-in",
  roles: INVOICE_ROLES,
  async render(view) {
    const asked = view.query.get("period");
    const banner = takeFlash();
    if (isPeriod(asked)) {
      const drafts = await monthInvoices(view, asked);
      draw(view, { month: monthPartsOf(asked), period: asked, drafts, errors: noErrors(), banner });
      return;
    }
    const month = monthPartsOf(previousMonth(view.me?.today ?? ""));
    draw(view, { month, period: null, drafts: null, errors: noErrors(), banner });
  },
};
