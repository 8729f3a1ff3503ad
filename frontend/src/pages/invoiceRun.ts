// "Recharge run": the lending council's finance team choose a month and preview one draft
// invoice per council that booked its officers (POST /invoice-runs; previewing again rebuilds
// the month's drafts), then issue them one at a time or all together (one POST after another).
import { api, seg, toProblem } from "../api";
import { errorSummary, type ErrorItem } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { table } from "../components/table";
import { formatPence } from "../format";
import type { Page, View } from "../page";
import type { Invoice, InvoiceRun } from "../types";
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
  /** The month previewed, and its drafts (null before a preview). */
  period: string | null;
  drafts: Invoice[] | null;
  errors: FormErrors;
  banner: BannerOptions | null;
}

function draftsSection(state: RunState): SafeHtml {
  if (state.drafts === null || state.period === null) return html``;
  const label = periodLabel(state.period);
  if (state.drafts.length === 0) {
    return html`<h2 class="govuk-heading-m" id="drafts-caption">Drafts for ${label}</h2>
<p class="govuk-body" id="no-drafts">There are no completed bookings of ${label} left to invoice.</p>`;
  }
  const waiting = state.drafts.filter((invoice) => invoice.status === "draft");
  return html`${table({
    id: "drafts",
    caption: `Drafts for ${label}`,
    head: ["Customer", "Lines", "Net", "VAT", "Gross", "Invoice"],
    rows: state.drafts.map((invoice) => [
      html`<a class="govuk-link" href="/invoices/${invoice.id}">${invoice.customer.name}</a>`,
      String(invoice.lines.length),
      formatPence(invoice.net_pence),
      formatPence(invoice.vat_pence),
      formatPence(invoice.gross_pence),
      invoice.status === "draft"
        ? html`<form class="tp-inline-form" method="post" action="/invoices/${invoice.id}/issue" novalidate data-issue="${invoice.id}">
        ${button(html`Issue<span class="govuk-visually-hidden"> the invoice to ${invoice.customer.name}</span>`, { secondary: true })}
      </form>`
        : html`${invoiceStatusTag(invoice.status)} <span class="govuk-body-s tp-week-note">${invoiceName(invoice)}</span>`,
    ]),
  })}
${
  waiting.length > 1
    ? html`<form method="post" action="/invoices/run/issue-all" novalidate id="issue-all-form">
  ${button(html`Issue all<span class="govuk-visually-hidden"> ${waiting.length} draft invoices</span>`)}
</form>`
    : ""
}`;
}

export function runContent(state: RunState): SafeHtml {
  return html`${errorSummary(state.errors.summary)}
${state.banner ? notificationBanner(state.banner) : ""}
<a href="/invoices" class="govuk-back-link">Back to invoices</a>
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
        hint: "The month the work was done, for example 9 2027",
        value: state.month,
        error: state.errors.fields["period-month"],
      })}
      ${button("Preview drafts")}
    </form>
  </div>
</div>
${draftsSection(state)}`;
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
  if (!main) return;
  let busy = false;
  const on = (form: HTMLFormElement | null, action: (form: HTMLFormElement) => Promise<void>) => {
    form?.addEventListener("submit", (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      void action(form).finally(() => {
        busy = false;
      });
    });
  };
  on(main.querySelector<HTMLFormElement>("#run-form"), (form) => preview(view, state, formMonth(form, "period")));
  main.querySelectorAll<HTMLFormElement>("form[data-issue]").forEach((form) => {
    on(form, () => issueOne(view, state, form.dataset.issue ?? ""));
  });
  on(main.querySelector<HTMLFormElement>("#issue-all-form"), () => issueAll(view, state));
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
  const n = run.invoices.length;
  draw(view, {
    month,
    period: period.value,
    drafts: run.invoices,
    errors: noErrors(),
    banner: {
      heading: n === 0 ? `Nothing to invoice for ${periodLabel(period.value)}` : `${n} draft ${n === 1 ? "invoice" : "invoices"} for ${periodLabel(period.value)}`,
      text: n === 0 ? undefined : "Check them, then issue them.",
    },
  });
}

function replace(drafts: readonly Invoice[], invoice: Invoice): Invoice[] {
  return drafts.map((draft) => (draft.id === invoice.id ? invoice : draft));
}

async function issueOne(view: View, state: RunState, id: string): Promise<void> {
  let invoice: Invoice;
  try {
    invoice = await api.post<Invoice>(`/invoices/${seg(id)}/issue`, undefined, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, errors: errorsFromProblem(problem, {}), banner: null });
    return;
  }
  draw(view, {
    ...state,
    drafts: replace(state.drafts ?? [], invoice),
    errors: noErrors(),
    banner: { heading: `Invoice ${invoiceName(invoice)} issued to ${invoice.customer.name}`, success: true },
  });
}

async function issueAll(view: View, state: RunState): Promise<void> {
  let drafts = state.drafts ?? [];
  const issued: Invoice[] = [];
  const failed: { invoice: Invoice; message: string }[] = [];
  for (const draft of drafts.filter((invoice) => invoice.status === "draft")) {
    try {
      const invoice = await api.post<Invoice>(`/invoices/${seg(draft.id)}/issue`, undefined, { signal: view.signal });
      issued.push(invoice);
      drafts = replace(drafts, invoice);
    } catch (error) {
      const problem = toProblem(error);
      if (!problem) return; // the person moved on
      failed.push({ invoice: draft, message: problem.detail || problem.title });
    }
  }
  if (!view.isCurrent()) return;
  const outcome = issueAllOutcome(issued, failed);
  draw(view, { ...state, drafts, banner: outcome.banner, errors: { summary: outcome.errors, fields: {} } });
}

export const invoiceRunPage: Page = {
  path: "/invoices/run",
  title: TITLE,
  access: "signed-in",
  roles: INVOICE_ROLES,
  render(view) {
    const asked = view.query.get("period");
    const month = monthPartsOf(isPeriod(asked) ? asked : previousMonth());
    draw(view, { month, period: null, drafts: null, errors: noErrors(), banner: null });
  },
};
